//go:build js && wasm

// keyboard_js.go — a phone's keyboard for the title screen's name and
// code fields. A canvas brings up no on-screen keyboard, so a finger
// lifted on one of the fields (a touch: the mouse and the desktop's
// keyboard type into the canvas as before, title.go) puts a real HTML
// <input> over the field and focuses it, in the touch's own event
// handler, where browsers let a keyboard appear. The input holds the
// field's text: what is typed there goes into the field by the rules
// typing follows (title.go's setText), Enter (the keyboard's Go) is the
// field's Enter, and the input goes when it loses the focus (a tap
// anywhere else on the game). The handlers are plain JavaScript that set
// flags; the title's update reads them, as socket_js.go's queue.

package main

import (
	"image"
	"slices"
	"syscall/js"
)

// keyboardJS makes the input and its handlers and returns the controller
// the game reads and sets: fields, the logical rects by field name; title,
// whether the title screen is up; w, h and k, the screen's size in pixels
// and its scale (view.go); text, the fields' texts for the input to start
// with; opened, the field a touch opened the input over ("" once read);
// enter and blurred, set by the input's Enter and its losing the focus;
// view(), where the logical screen sits in the page.
var keyboardJS = js.Global().Get("Function").New("fields", `
	const c = {fields: fields, title: false, w: 1280, h: 960, k: 1, text: {}, field: "", opened: "", enter: false, blurred: false};
	const input = c.input = document.createElement("input");
	input.id = "field-input";
	input.type = "text";
	input.hidden = true;
	input.autocomplete = "off";
	input.spellcheck = false;
	input.enterKeyHint = "go";
	input.setAttribute("autocorrect", "off");
	input.style.cssText = "position: fixed; z-index: 5; box-sizing: border-box; margin: 0; border: 2px solid #f2a93b; " +
		"border-radius: 0; outline: none; background: #242b36; color: #e6e9ee; font-family: sans-serif;";
	document.body.append(input);
	// view: the logical screen's top left in CSS pixels, and CSS pixels
	// per logical pixel, from the canvas and how Ebiten letterboxes the
	// screen (w×h pixels) into its drawing buffer.
	c.view = () => {
		const cv = document.querySelector("canvas");
		if (!cv || !cv.width || !cv.height) return {x: 0, y: 0, scale: 1};
		const r = cv.getBoundingClientRect(), css = r.width / cv.width;
		const fit = Math.min(cv.width / c.w, cv.height / c.h);
		return {x: r.left + (cv.width - c.w * fit) / 2 * css, y: r.top + (cv.height - c.h * fit) / 2 * css, scale: fit * c.k * css};
	};
	c.place = () => {
		const v = c.view(), f = c.fields[c.field];
		if (!f) return;
		const s = input.style;
		s.left = v.x + f[0] * v.scale + "px";
		s.top = v.y + f[1] * v.scale + "px";
		s.width = f[2] * v.scale + "px";
		s.height = f[3] * v.scale + "px";
		s.paddingLeft = 12 * v.scale + "px";
		s.fontSize = Math.max(16, 20 * v.scale) + "px"; // below 16 px a phone zooms the page in
	};
	window.addEventListener("touchend", (e) => {
		if (!c.title || e.target.tagName !== "CANVAS" || e.changedTouches.length !== 1) return;
		const t = e.changedTouches[0], v = c.view();
		const x = (t.clientX - v.x) / v.scale, y = (t.clientY - v.y) / v.scale;
		for (const [name, f] of Object.entries(c.fields)) {
			if (x < f[0] || x >= f[0] + f[2] || y < f[1] || y >= f[1] + f[3]) continue;
			c.field = c.opened = name;
			input.value = c.text[name] || "";
			input.maxLength = f[4];
			input.autocapitalize = name === "code" ? "characters" : "words";
			input.style.textTransform = name === "code" ? "uppercase" : "none";
			c.place();
			input.hidden = false;
			input.focus();
			if (name === "name") input.select(); // as a click on the field selects the name
			return;
		}
	}, true);
	input.addEventListener("keydown", (e) => {
		if (e.key === "Enter") {
			e.preventDefault();
			c.enter = true;
		}
	});
	input.addEventListener("blur", () => {
		input.hidden = true;
		c.blurred = true;
	});
	return c;`)

// keyboard is the game's side of the input.
type keyboard struct {
	c      js.Value // what keyboardJS made; undefined without a page
	input  js.Value
	on     bool   // the input is up
	field  field  // the field it is over, while on
	value  string // what the input held when last read
	title  bool   // what c.title was set to
	w, h   int    // what c.w and c.h were set to
	text   [2][]rune
	placed int // ticks since the input was last placed
}

// newKeyboard makes the input, to go over name and code (maxName and
// codeLen characters long).
func newKeyboard(name, code image.Rectangle, maxName int) keyboard {
	if !js.Global().Get("document").Truthy() {
		return keyboard{}
	}
	rect := func(r image.Rectangle, n int) []any { return []any{r.Min.X, r.Min.Y, r.Dx(), r.Dy(), n} }
	c := keyboardJS.Invoke(map[string]any{"name": rect(name, maxName), "code": rect(code, codeLen)})
	return keyboard{c: c, input: c.Get("input")}
}

// shown tells the input whether the title screen is up: the input opens
// only over it, and closes when it goes.
func (k *keyboard) shown(up bool) {
	if !k.c.Truthy() || up == k.title {
		return
	}
	k.title = up
	k.c.Set("title", up)
	if !up && k.on {
		k.input.Call("blur")
	}
}

// update reads the input into t's fields; it reports the input's Enter.
func (k *keyboard) update(t *title) (enter bool) {
	if !k.c.Truthy() {
		return false
	}
	k.mirror(t)
	if o := k.c.Get("opened"); o.Truthy() {
		f := o.String()
		k.c.Set("opened", "")
		k.on, k.field, k.value, k.placed = true, fieldName, string(t.name), 0
		if f == "code" {
			k.field, k.value = fieldCode, string(t.code)
		}
		t.focus, t.selected = k.field, k.field == fieldName && len(t.name) > 0
	}
	if !k.on {
		return false
	}
	if v := k.input.Get("value").String(); v != k.value {
		got := t.setText(k.field, v)
		if got != v {
			k.input.Set("value", got) // what the field does not take goes
		}
		k.value = got
	}
	if k.placed++; k.placed >= 30 {
		// A phone's keyboard may resize the page, and the game with it.
		k.placed = 0
		k.c.Call("place")
	}
	if k.c.Get("enter").Bool() {
		k.c.Set("enter", false)
		enter = true
		k.input.Call("blur")
	}
	if k.c.Get("blurred").Bool() {
		k.c.Set("blurred", false)
		k.on = false
	}
	return enter
}

// mirror gives the page the screen's size and scale and the fields'
// texts, when they change, for the input's next opening.
func (k *keyboard) mirror(t *title) {
	if w, h := scr.size(); w != k.w || h != k.h {
		k.w, k.h = w, h
		k.c.Set("w", w)
		k.c.Set("h", h)
		k.c.Set("k", scr.k)
	}
	for i, s := range [2][]rune{t.name, t.code} {
		if !slices.Equal(k.text[i], s) {
			k.text[i] = append(k.text[i][:0], s...)
			k.c.Get("text").Set([2]string{"name", "code"}[i], string(s))
		}
	}
}

// pageView is where the logical screen sits in the page: its top left in
// CSS pixels, and CSS pixels per logical pixel (window.skirmish.view).
func (k *keyboard) pageView() js.Value {
	if !k.c.Truthy() {
		return js.Null()
	}
	return k.c.Call("view")
}
