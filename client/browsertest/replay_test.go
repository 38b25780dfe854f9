//go:build !(js && wasm)

// replay_test.go — a recorded match played back in headless Chromium
// (client/replay.go): two fighting bots play a match of replayMatch on a
// serve started with --replays; the title lists it under Recent matches
// (client/matches.go), and its Replay button plays its log: the tick
// advances, Space holds the tick, Right and Left seek exactly 5 s
// through the keyframes, Tab follows a player, Space plays on, 4×
// advances faster than 1× (measured in one run, by the page's clock; 4×
// after a seek back to the start, so that it does not run into the end
// of the log), and every tick of the replay reaches the server's hash;
// then a /#replay=ID link opens it directly. Each step is bounded by 30 s.
// While the match is recorded, the title's room list is handed two modes
// and its mode toggles are checked (roomfilter_test.go).

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"skirmish/bots"
	"skirmish/internal/testkit"
)

// replayMatch is the recorded match's length: the least --match-length
// serve takes.
const replayMatch = 10 * time.Second

func TestBrowserPlaysAReplay(t *testing.T) {
	// Most of the test is waiting for the match to be recorded: it runs
	// beside the console's tests, whose pages draw no WebGL (TestConsole).
	t.Parallel()
	base, ctx, tab := gameTab(t, 3*time.Minute, "--replays", t.TempDir(), "--match-length", replayMatch.String())
	out := outputDir(t, repoRoot(t))
	for i := range 2 {
		b, err := bots.Join(ctx, bots.Options{BaseURL: base, Name: fmt.Sprintf("fighter%d", i), Behavior: bots.Fight(), Seed: uint64(i + 1)})
		if err != nil {
			t.Fatal(err)
		}
		go b.Run(ctx)
		defer b.Close()
	}
	// The page opens while the match is played (the title asks for the
	// recent matches every 5 s), its room list that of two modes; its mode
	// toggles are checked while the match is recorded (roomfilter_test.go).
	fakeRoomDirectory(t, tab)
	openTitle(t, tab, base, "viewer")
	t.Run("RoomModeFilter", func(t *testing.T) { checkRoomModeFilter(t, tab, "viewer") })
	var id string
	testkit.WaitUntil(t, 40*time.Second, func() (bool, string) {
		id = firstReplay(t, base)
		return id != "", "no log listed at /api/replays"
	})

	// The title lists the match with a Replay button.
	waitFor(t, tab, "viewer", fmt.Sprintf(`window.skirmish.matches && window.skirmish.matches.length > 0 && window.skirmish.matches[0].id === %q`, id), 30*time.Second)
	screenshot(t, tab, filepath.Join(out, "replay-title.png"))
	clickRect(t, tab, "viewer", `window.skirmish.matches[0].replay`)
	poll := func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Fatalf("%s: %v (window.skirmish.replay %s)", what, err, evalString(t, tab, `JSON.stringify(window.skirmish && window.skirmish.replay)`))
		}
	}
	const r = `window.skirmish.replay`
	poll("the replay loads and plays", `window.skirmish && `+r+` && `+r+`.loaded && `+r+`.tick > `+r+`.first + 10`)
	if state := evalString(t, tab, `window.skirmish.state`); state != "replay" {
		t.Fatalf("state %q, message %q; want replay", state, evalString(t, tab, `window.skirmish.message`))
	}
	first, length := evalInt(t, tab, r+`.first`), evalInt(t, tab, r+`.length`)
	if whole := int((replayMatch - time.Second) * 60 / time.Second); length < whole {
		t.Fatalf("the log is %d ticks long; want the whole %v match (at least %d)", length, replayMatch, whole)
	}

	// Speed: ticks a second of the page's clock at 1×, then, from the start, at 4×.
	rate := func() float64 {
		t.Helper()
		v, err := chromedp.Run(tab, chromedp.Evaluate[float64](`new Promise(done => {
			const t0 = performance.now(), k0 = window.skirmish.replay.tick;
			setTimeout(() => done((window.skirmish.replay.tick - k0) * 1000 / (performance.now() - t0)), 1500);
		})`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	normal := rate()

	// Pause holds the tick while the page goes on publishing.
	press(t, tab, key{" ", "Space", 32})
	poll("Space pauses", r+`.paused`)
	held := evalInt(t, tab, r+`.tick`)
	poll("the page publishes on while paused", fmt.Sprintf(`window.skirmish.updated > %d + 1000`, evalInt(t, tab, `window.skirmish.updated`)))
	if got := evalInt(t, tab, r+`.tick`); got != held {
		t.Errorf("paused at tick %d, then at %d", held, got)
	}

	// Seek: Right is 5 s on, Left 5 s back, exactly, from a keyframe.
	want := min(held+5*60, first+length)
	press(t, tab, key{"ArrowRight", "ArrowRight", 39})
	poll("Right seeks 5 s on", fmt.Sprintf(r+`.tick === %d`, want))
	press(t, tab, key{"ArrowLeft", "ArrowLeft", 37})
	poll("Left seeks 5 s back", fmt.Sprintf(r+`.tick === %d`, max(want-5*60, first)))

	// Tab follows the first player.
	press(t, tab, key{"Tab", "Tab", 9})
	poll("Tab follows a player", r+`.following !== 0 && `+r+`.followingName.startsWith("fighter")`)
	screenshot(t, tab, filepath.Join(out, "replay.png"))

	press(t, tab, key{" ", "Space", 32})
	poll("Space plays on", `!`+r+`.paused && `+r+`.tick > `+fmt.Sprint(max(want-5*60, first)+30))

	// Left again: back to the start, where 4× has the whole log ahead.
	at := evalInt(t, tab, r+`.tick`)
	press(t, tab, key{"ArrowLeft", "ArrowLeft", 37})
	poll("Left seeks back to the start", fmt.Sprintf(r+`.tick < %d && `+r+`.tick < %d`, at, first+5*60))

	// 4×, from the start.
	plus := key{"=", "Equal", 187}
	press(t, tab, plus)
	press(t, tab, plus)
	poll("+ twice sets 4×", r+`.speed === 4`)
	fast := rate()
	t.Logf("replay speed: %.0f ticks/s at 1×, %.0f at 4×", normal, fast)
	if normal < 20 || fast < 2.5*normal {
		t.Errorf("%.0f ticks/s at 1× and %.0f at 4×; want 4× well over twice 1×", normal, fast)
	}

	if msg := evalString(t, tab, r+`.error`); msg != "" {
		t.Errorf("the replay stopped: %s", msg)
	}

	// A link opens the replay directly.
	if err := chromedp.Do(tab, chromedp.Navigate(base+"/#replay="+id)); err != nil {
		t.Fatal(err)
	}
	poll("/#replay=ID plays the match", `window.skirmish && `+r+` && `+r+`.id === `+fmt.Sprintf("%q", id)+` && `+r+`.tick > `+r+`.first + 10`)
}

// press presses and releases k.
func press(t *testing.T, tab context.Context, k key) {
	t.Helper()
	dispatchKey(t, tab, k, input.DispatchKeyEventTypeKeyDown)
	dispatchKey(t, tab, k, input.DispatchKeyEventTypeKeyUp)
}

// firstReplay is the id of the newest log base lists, "" for none yet.
func firstReplay(t *testing.T, base string) string {
	t.Helper()
	res, err := http.Get(base + "/api/replays")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var l struct {
		Replays []struct {
			ID string `json:"id"`
		} `json:"replays"`
	}
	if err := json.NewDecoder(res.Body).Decode(&l); err != nil {
		t.Fatal(err)
	}
	if len(l.Replays) == 0 {
		return ""
	}
	return l.Replays[0].ID
}
