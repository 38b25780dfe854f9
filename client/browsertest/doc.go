// Package browsertest holds the browser client's end-to-end test: a real
// `skirmish serve` with the client built to WebAssembly, driven in Debian's
// headless Chromium through the DevTools protocol (chromedp). It has no
// code outside its test; see browser_test.go.
//
// The test needs chromium (`apt-get install -y chromium`). Without it the
// test skips, except when CI=true, where a missing browser is a failure.
package browsertest
