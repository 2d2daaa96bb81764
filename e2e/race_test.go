//go:build race

package e2e

// raceBuild: under go test -race the binary is built with -race too, so
// the journeys check the program for races, not only the harness.
const raceBuild = true
