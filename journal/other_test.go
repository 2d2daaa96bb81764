//go:build !unix

package journal

func isWindows() bool { return true }
