//go:build !unix

package audit

func isWindows() bool { return true }
