//go:build !linux

// diewithus_other.go — elsewhere the runner stops its children itself
// (stopProcess); a runner killed outright may leave them behind.

package main

import "os/exec"

// dieWithUs does nothing here: only Linux has a parent-death signal.
func dieWithUs(*exec.Cmd) {}
