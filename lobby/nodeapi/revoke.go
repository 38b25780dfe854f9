// revoke.go — the revoked list (Options.RevokedFile, nodecred.Revoked)
// as the Service keeps it: read at New, read again every RevokedReload
// when the file changed (a bad edit is logged and the last good list
// kept), and each node revoked by name taken out of rotation at once,
// with its rooms, so its players queue again. A node revoked by key is
// refused from its next request on and lapses with its heartbeat.
// service.go's admit checks every request against the list.

package nodeapi

import (
	"context"
	"fmt"
	"os"
	"time"

	"skirmish/nodecred"
)

// fileStamp tells whether the file changed.
type fileStamp struct {
	mod  time.Time
	size int64
}

// loadRevoked reads the list and puts it in force.
func (s *Service) loadRevoked() (fileStamp, error) {
	fi, err := os.Stat(s.opts.RevokedFile)
	if err != nil {
		return fileStamp{}, fmt.Errorf("nodeapi: revoked list: %w", err)
	}
	raw, err := os.ReadFile(s.opts.RevokedFile)
	if err != nil {
		return fileStamp{}, fmt.Errorf("nodeapi: revoked list: %w", err)
	}
	r, err := nodecred.ParseRevoked(raw)
	if err != nil {
		return fileStamp{}, fmt.Errorf("nodeapi: %s: %w", s.opts.RevokedFile, err)
	}
	s.revoked.Store(r)
	s.opts.Logger.Info("nodeapi: revoked list read", "file", s.opts.RevokedFile, "entries", r.Len())
	s.removeRevoked(r)
	return fileStamp{fi.ModTime(), fi.Size()}, nil
}

// removeRevoked takes the live nodes revoked by name out of rotation.
func (s *Service) removeRevoked(r *nodecred.Revoked) {
	names := r.Names()
	if len(names) == 0 {
		return
	}
	ctx, cancel := detached()
	defer cancel()
	nodes, err := s.opts.Store.Nodes(ctx, s.opts.Now())
	if err != nil {
		s.opts.Logger.Warn("nodeapi: reading the nodes to remove the revoked ones failed; their heartbeats are refused and lapse", "err", err)
		return
	}
	live := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		live[n.ID] = true
	}
	for _, name := range names {
		if !live[IDPrefix+name] {
			continue
		}
		freed, err := s.opts.Store.RemoveNode(ctx, IDPrefix+name)
		if err != nil {
			s.opts.Logger.Warn("nodeapi: removing a revoked node failed; its heartbeats are refused and lapse", "node", IDPrefix+name, "err", err)
			continue
		}
		s.opts.Logger.Warn("nodeapi: revoked node taken out of rotation", "node", IDPrefix+name, "seats_freed", freed)
	}
}

// watchRevoked reads the list again whenever it changes, until ctx ends.
func (s *Service) watchRevoked(ctx context.Context, last fileStamp) {
	defer s.wg.Done()
	tick := time.NewTicker(s.opts.RevokedReload)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		fi, err := os.Stat(s.opts.RevokedFile)
		if err != nil {
			s.opts.Logger.Warn("nodeapi: revoked list unreadable; keeping the last one read", "err", err)
			continue
		}
		if now := (fileStamp{fi.ModTime(), fi.Size()}); now != last {
			last = now // a bad edit is told once, not every tick
			if _, err := s.loadRevoked(); err != nil {
				s.opts.Logger.Warn("nodeapi: revoked list not reloaded; keeping the last one read", "err", err)
			}
		}
	}
}
