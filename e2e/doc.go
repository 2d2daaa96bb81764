// Package e2e holds the end-to-end tests: the real senderpool binary on a
// pseudo-terminal (what crosses the wire, the terminal left behind, ctrl+c
// at a prompt) and in tmux (journeys as a person makes them), and against
// the real Secret Service. The binary is built once per test process.
// Tests that need tmux or a session bus skip with the reason when it is
// missing, unless SENDERPOOL_REQUIRE_TMUX=1 or SENDERPOOL_REQUIRE_KEYRING=1.
package e2e
