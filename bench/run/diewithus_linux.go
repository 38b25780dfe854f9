// diewithus_linux.go — on Linux, children die with the runner.

package main

import (
	"os/exec"
	"syscall"
)

// dieWithUs has the kernel kill cmd's process if the benchmark's own
// process ends first (a crash, a kill): no server outlives its run.
func dieWithUs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
