// prefixes.go — Prefixes: the trusted proxies' CIDRs, as a repeatable,
// comma-separated flag (--trust-proxy). clientaddr.go reads them.

package clientaddr

import (
	"fmt"
	"net/netip"
	"strings"
)

// Prefixes is a list of CIDRs; a bare address is one host (/32 or /128).
// As a flag.Value each use adds its comma-separated CIDRs.
type Prefixes []netip.Prefix

// String lists the prefixes, comma-separated.
func (p *Prefixes) String() string {
	s := make([]string, len(*p))
	for i, pre := range *p {
		s[i] = pre.String()
	}
	return strings.Join(s, ",")
}

// Set adds the comma-separated CIDRs of v.
func (p *Prefixes) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		pre, err := ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		*p = append(*p, pre)
	}
	return nil
}

// ParsePrefix reads a CIDR, e.g. 10.0.0.0/8 or fd00::/8, or one address.
// IPv4-mapped IPv6 is taken as IPv4, as From reads addresses.
func ParsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("clientaddr: %q is not a CIDR (e.g. 10.0.0.0/8) or an address", s)
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	pre, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("clientaddr: %q is not a CIDR (e.g. 10.0.0.0/8): %w", s, err)
	}
	if a := pre.Addr(); a.Is4In6() && pre.Bits() >= 96 {
		pre = netip.PrefixFrom(a.Unmap(), pre.Bits()-96)
	}
	return pre.Masked(), nil
}
