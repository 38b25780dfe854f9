// Package browsertest holds the browser client's end-to-end test: a real
// `skirmish serve` with the client built to WebAssembly, driven in Debian's
// headless Chromium through the DevTools protocol (chromedp). It has no
// code outside its tests; see browser_test.go, and main_test.go for what
// they share (one build of the binary and the client, one Chromium).
//
// The test needs chromium (`apt-get install -y chromium`). Without it the
// test skips, except when CI=true, where a missing browser is a failure.
package browsertest
