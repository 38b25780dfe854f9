// receipt.go — the lobby's receipt for a seat a community node claimed
// (seats.go signs one per claim; the node's client, client.go, keeps it
// and sends it back with the player's match result). It is how the lobby
// knows, from its own signature, that a result is for a player who held
// a seat in that room on that node, even after the seat is gone (the
// player left as the match ended) and whichever lobby process granted it.
//
// A receipt is the base64url of 8 bytes (the claim's time, unix
// milliseconds, big-endian) and an Ed25519 signature, by the lobby's
// key, of receiptContext, the node's id, 0, the room, 0, the player id
// (8 bytes) and those 8 bytes of time.

package nodeapi

import (
	"crypto/ed25519"
	"encoding/binary"
	"time"
)

const (
	receiptContext = "skirmish seat receipt\x00"
	receiptLen     = 8 + ed25519.SignatureSize
)

func receiptMessage(node, room string, player uint64, at []byte) []byte {
	msg := make([]byte, 0, len(receiptContext)+len(node)+len(room)+2+8+8)
	msg = append(msg, receiptContext...)
	msg = append(msg, node...)
	msg = append(msg, 0)
	msg = append(msg, room...)
	msg = append(msg, 0)
	msg = binary.BigEndian.AppendUint64(msg, player)
	return append(msg, at...)
}

// signReceipt returns the receipt for player's seat in room on node,
// claimed at now.
func signReceipt(key ed25519.PrivateKey, node, room string, player uint64, now time.Time) string {
	at := binary.BigEndian.AppendUint64(make([]byte, 0, receiptLen), uint64(now.UnixMilli()))
	sig := ed25519.Sign(key, receiptMessage(node, room, player, at))
	return b64.EncodeToString(append(at, sig...))
}

// checkReceipt reports whether receipt is the lobby's, for player's seat
// in room on node.
func checkReceipt(pub ed25519.PublicKey, receipt, node, room string, player uint64) bool {
	raw, err := b64.DecodeString(receipt)
	if err != nil || len(raw) != receiptLen {
		return false
	}
	return ed25519.Verify(pub, receiptMessage(node, room, player, raw[:8]), raw[8:])
}
