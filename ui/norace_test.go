//go:build !race

package ui

// raceEnabled lets long tests do less under the race detector.
const raceEnabled = false
