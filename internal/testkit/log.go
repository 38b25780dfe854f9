// log.go — a quiet logger, for the stacks of stack.go and any test's own
// components: tests assert on answers and metrics (metrics.go), not on
// log lines.

package testkit

import "log/slog"

// Quiet is a logger that writes nowhere.
func Quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }
