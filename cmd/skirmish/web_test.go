// web_test.go — the web client's files over a real socket: the .wasm
// gzip-compressed as application/wasm when the browser accepts gzip, raw
// when it does not, and the placeholder page when no client is built.

package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWebServesGzippedWasm(t *testing.T) {
	dir := t.TempDir()
	wasm := bytes.Repeat([]byte("\x00asm wasm bytes "), 1000)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(wasm)
	_ = zw.Close()
	for name, data := range map[string][]byte{"index.html": []byte("<!doctype html><title>Skirmish</title>"), "skirmish.wasm": wasm, "skirmish.wasm.gz": gz.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(webHandler(dir))
	defer srv.Close()
	hc := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	get := func(path, acceptEncoding string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}

	resp, body := get("/skirmish.wasm", "br, gzip;q=0.8")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Fatalf("gzip-accepting GET: %s, encoding %q, type %q", resp.Status, resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"))
	}
	if len(body) != gz.Len() {
		t.Errorf("gzipped body is %d bytes, want the %d-byte .gz", len(body), gz.Len())
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if plain, _ := io.ReadAll(zr); !bytes.Equal(plain, wasm) {
		t.Error("the gzipped body does not decompress to the .wasm")
	}
	if v := resp.Header.Get("Vary"); v != "Accept-Encoding" {
		t.Errorf("Vary %q, want Accept-Encoding", v)
	}

	for _, ae := range []string{"", "identity", "gzip;q=0"} {
		resp, body = get("/skirmish.wasm", ae)
		if resp.Header.Get("Content-Encoding") != "" || resp.Header.Get("Content-Type") != "application/wasm" || !bytes.Equal(body, wasm) {
			t.Errorf("Accept-Encoding %q: encoding %q, type %q, %d bytes; want the raw .wasm", ae, resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"), len(body))
		}
	}
	resp, body = get("/", "gzip")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<title>Skirmish</title>") {
		t.Errorf("/: %s %q", resp.Status, body)
	}
	if resp, _ = get("/../web_test.go.wasm", "gzip"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a path outside the folder: %s, want 404", resp.Status)
	}
}

func TestWebPlaceholderWithoutClient(t *testing.T) {
	srv := httptest.NewServer(webHandler(t.TempDir()))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "make run") {
		t.Errorf("/ without a client: %s %q", resp.Status, body)
	}
	if resp, err = http.Get(srv.URL + "/skirmish.wasm"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("/skirmish.wasm without a client: %v %v, want 404", resp.Status, err)
	}
}
