// tls_test.go — --tls-cert/--tls-key: `skirmish serve` with a certificate
// made for the test serves https, hands out wss:// URLs, and a bot that
// trusts the certificate plays over them; a plain-http request is not
// answered as if it were TLS.

package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skirmish/bots"
	pb "skirmish/proto"
)

// selfSigned writes a certificate for 127.0.0.1 and its key to dir and
// returns their paths and a pool that trusts it.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "skirmish test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestServeTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t, t.TempDir())
	bin := buildSkirmish(t)
	base, _, _ := startServe(t, bin, "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("serve printed %s; want an https:// URL", base)
	}
	tlsCfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg}}
	resp, err := hc.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
		t.Errorf("GET /healthz over TLS: %d %q", resp.StatusCode, body)
	}
	// Plain http to the TLS port gets Go's "client sent an HTTP request to
	// an HTTPS server" answer, never the API.
	if resp, err := http.Get(strings.Replace(base, "https://", "http://", 1) + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plain http to the TLS port was answered 200")
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := bots.Join(ctx, bots.Options{BaseURL: base, Name: "secure", HTTPClient: hc, TLSConfig: tlsCfg})
	if err != nil {
		t.Fatal(err)
	}
	go b.Run(ctx)
	if a := b.Assignment(); !strings.HasPrefix(a.WSURL, "wss://127.0.0.1:") {
		t.Errorf("ws_url %s; want wss:// on the same address", a.WSURL)
	}
	if err := b.WaitFor(ctx, func(_ *pb.State, st *bots.Stats) bool { return st.Snapshots >= 30 }); err != nil {
		t.Fatalf("bot did not play over wss: %v", err)
	}
}

func TestTLSFlagsGoTogether(t *testing.T) {
	bin := buildSkirmish(t)
	for _, role := range [][]string{
		{"serve"},
		{"lobby", "--redis", "redis://127.0.0.1:1/0"},
		{"node", "--redis", "redis://127.0.0.1:1/0"},
	} {
		args := append(append([]string{}, role...), "--addr", "127.0.0.1:0", "--tls-cert", "cert.pem")
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "--tls-cert and --tls-key go together") {
			t.Errorf("%v with --tls-cert alone: %v, %s; want a refusal naming both flags", role, err, out)
		}
	}
}
