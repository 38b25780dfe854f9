// check.js — a Skirmish client in JavaScript, written from skirmish.proto
// and the README's "Protocol" section alone, run on the conformance corpus
// (../testdata/conformance): it decodes every frame with protobufjs
// (loading ../skirmish.proto at run time), rebuilds the state from the
// deltas, and checks the state hash after every frame, every checksum,
// every movement vector, and its own predicted movement against every
// snapshot. `make conformance-node` (part of `make test`) runs it:
//
//   cd proto/conformance && npm ci && node check.js
//
// It imports nothing of the Go code: where it and the Go code disagree, the
// documents are wrong or incomplete.

"use strict";

const fs = require("fs");
const path = require("path");
const protobuf = require("protobufjs");

const here = __dirname;
const corpus = path.join(here, "..", "testdata", "conformance");
const root = protobuf.loadSync(path.join(here, "..", "skirmish.proto"));
const ServerMessage = root.lookupType("skirmish.v1.ServerMessage");
const PLAYING = root.lookupEnum("skirmish.v1.MatchPhase").values.MATCH_PHASE_PLAYING;
const SPAWN = root.lookupEnum("skirmish.v1.EventKind").values.EVENT_KIND_SPAWN;

// The player field table: the order of a key's mask bits.
const X = 0, Y = 1, ALIVE = 4, FIELDS = 7;

// --- The state a client holds ---------------------------------------------

function emptyState() {
  return { tick: 0, match: { number: 0, phase: 0, endTick: 0 }, players: new Map(), shots: new Map() };
}

const num = (v) => (v == null ? 0 : typeof v === "number" ? v : v.toNumber());

// apply applies one Snapshot to s, in the order skirmish.proto gives:
// match, left, joined, players, the held shots advanced to tick,
// shots_gone, shots. Absent fields are zero or empty.
function apply(s, snap) {
  const tick = num(snap.tick);
  if (snap.full) {
    Object.assign(s, emptyState());
  } else if (tick < s.tick) {
    throw new Error(`snapshot of tick ${tick} before the held tick ${s.tick}`);
  }
  if (snap.match != null) {
    // match replaces the held match state: absent fields are 0.
    s.match = { number: num(snap.match.number), phase: num(snap.match.phase), endTick: num(snap.match.endTick) };
  }
  for (const id of snap.left) {
    if (!s.players.delete(id)) throw new Error(`unknown player ${id} left`);
  }
  for (const j of snap.joined) {
    if (!j.id || s.players.has(j.id)) throw new Error(`bad join of player ${j.id}`);
    s.players.set(j.id, { id: j.id, name: j.name, f: new Array(FIELDS).fill(0) });
  }
  let id = 0, v = 0;
  for (const key of snap.playerKeys) {
    id += (key >>> 7) + 1;
    const p = s.players.get(id);
    if (!p) throw new Error(`key for unknown player ${id}`);
    for (let f = 0; f < FIELDS; f++) {
      if (key & (1 << f)) {
        if (v >= snap.playerValues.length) throw new Error("player values run short");
        p.f[f] += snap.playerValues[v++];
      }
    }
  }
  if (v !== snap.playerValues.length) throw new Error("player values left over");
  const dt = tick - s.tick;
  for (const sh of s.shots.values()) {
    sh.x += sh.vx * dt;
    sh.y += sh.vy * dt;
  }
  s.tick = tick;
  id = 0;
  for (const d of snap.shotsGone) {
    id += d;
    if (!s.shots.delete(id)) throw new Error(`unknown shot ${id} gone`);
  }
  id = 0;
  const n = snap.shots;
  if (n.length % 6 !== 0) throw new Error("shots run short");
  for (let i = 0; i < n.length; i += 6) {
    id += n[i];
    s.shots.set(id, { id, owner: n[i + 1], x: n[i + 2], y: n[i + 3], vx: n[i + 4], vy: n[i + 5] });
  }
}

// --- The checksum: FNV-1a 64 --------------------------------------------------

const FNV_OFFSET = 14695981039346656037n;
const FNV_PRIME = 1099511628211n;

// hash is the state checksum: FNV-1a 64 over little-endian 32-bit words
// and the names' UTF-8 bytes, players and shots in ascending id order.
function hash(s) {
  let h = FNV_OFFSET;
  const byte = (b) => { h = BigInt.asUintN(64, (h ^ BigInt(b)) * FNV_PRIME); };
  const u32 = (v) => { v >>>= 0; for (let i = 0; i < 4; i++) byte((v >>> (8 * i)) & 0xff); };
  u32(s.tick);
  u32(s.match.number);
  u32(s.match.phase);
  u32(s.match.endTick);
  const players = [...s.players.values()].sort((a, b) => a.id - b.id);
  u32(players.length);
  for (const p of players) {
    u32(p.id);
    const name = Buffer.from(p.name, "utf8"); // bytes, not p.name.length's UTF-16 units
    u32(name.length);
    for (const b of name) byte(b);
    for (const f of p.f) u32(f);
  }
  const shots = [...s.shots.values()].sort((a, b) => a.id - b.id);
  u32(shots.length);
  for (const sh of shots) {
    for (const v of [sh.id, sh.owner, sh.x, sh.y, sh.vx, sh.vy]) u32(v);
  }
  return h.toString(16).padStart(16, "0");
}

// --- Movement ---------------------------------------------------------------

const UP = 1, DOWN = 2, LEFT = 4, RIGHT = 8;

// move moves player p ({x, y}) by one tick of the move bit set, on an
// arena {width, height, walls: [[minX, minY, maxX, maxY], …]}.
function move(arena, speed, radius, p, bits) {
  const dx = (bits & RIGHT ? 1 : 0) - (bits & LEFT ? 1 : 0);
  const dy = (bits & DOWN ? 1 : 0) - (bits & UP ? 1 : 0);
  let step = speed;
  if (dx !== 0 && dy !== 0) step = (11585 * speed + 8192) >> 14; // round(speed · sin 45°)
  if (dx !== 0) p.x = slide(arena.walls, 0, p.x, p.y, dx * step, radius, arena.width);
  if (dy !== 0) p.y = slide(arena.walls, 1, p.y, p.x, dy * step, radius, arena.height);
}

// slide moves the box along one axis by v: clamped into [r, limit − r],
// then stopped flush against the nearest wall it faces and would enter.
function slide(walls, axis, pos, other, v, r, limit) {
  let next = Math.min(Math.max(pos + v, r), limit - r);
  for (const w of walls) {
    const [lo, hi, otherLo, otherHi] = axis === 0 ? [w[0], w[2], w[1], w[3]] : [w[1], w[3], w[0], w[2]];
    if (other + r <= otherLo || other - r >= otherHi) continue; // beside it, not facing it
    if (v > 0 && lo >= pos + r && lo < next + r) next = lo - r;
    if (v < 0 && hi <= pos - r && hi > next - r) next = hi + r;
  }
  return next;
}

function arenaOf(a) {
  const walls = [];
  const w = a.walls || [];
  for (let i = 0; i + 3 < w.length; i += 4) walls.push([w[i], w[i + 1], w[i + 2], w[i + 3]]);
  return { width: a.width, height: a.height, walls };
}

// --- The checks -------------------------------------------------------------

const read = (name) => JSON.parse(fs.readFileSync(path.join(corpus, name), "utf8"));
const failures = [];
const fail = (msg) => { failures.push(msg); if (failures.length <= 20) console.error("FAIL " + msg); };

// checkStream applies every frame, compares the hash after each and every
// checksum, and predicts its own player: after each snapshot, the inputs
// the server applied since the last (ack − previous ack of them) replayed
// from the last snapshot's position must give the new one.
function checkStream() {
  const file = read("stream.json");
  const inputs = new Map(file.inputs.map((i) => [i.seq, i]));
  const s = emptyState();
  let me = 0, arena = null, rules = null, prev = null;
  let checksums = 0, predicted = 0;
  file.frames.forEach((fr, i) => {
    const msg = ServerMessage.decode(Buffer.from(fr.frame, "hex"));
    let snap = null;
    if (msg.welcome) {
      if (msg.welcome.protocolVersion !== 1) fail(`frame ${i}: protocol_version ${msg.welcome.protocolVersion}`);
      me = msg.welcome.playerId;
      arena = arenaOf(msg.welcome.arena);
      rules = msg.welcome.rules;
      snap = msg.welcome.state;
    } else if (msg.snapshot) {
      snap = msg.snapshot;
    }
    if (snap) {
      apply(s, snap);
      const h = hash(s);
      const sum = snap.checksum == null ? "0" : snap.checksum.toString(16);
      if (sum !== "0") {
        checksums++;
        if (sum.padStart(16, "0") !== h) fail(`frame ${i} (tick ${s.tick}): checksum ${sum}, state hashes ${h}`);
      }
      const mine = s.players.get(me);
      const spawned = snap.events.some((e) => e.kind === SPAWN && e.a === me);
      const ack = snap.ack || 0;
      // A spawn teleports; a death or a phase change inside snapshots this
      // client was not sent (its baseline was older than the last tick) is
      // news it could not have predicted. Anything else must match.
      const unseen = mine && prev && s.tick - prev.tick > 1 && ((mine.f[ALIVE] !== 0) !== prev.alive || s.match.phase !== prev.match.phase);
      if (prev && prev.ack > 0 && mine && !spawned && !unseen && !msg.welcome) {
        // Input seq lands on prev.tick + (seq − prev.ack); it moves the
        // player if, as the last snapshot said, it is alive and the match is
        // playing through that tick.
        const p = { x: prev.x, y: prev.y };
        for (let seq = prev.ack + 1; seq <= ack; seq++) {
          const landing = prev.tick + (seq - prev.ack);
          if (prev.alive && prev.match.phase === PLAYING && landing <= prev.match.endTick) {
            move(arena, rules.playerSpeed, rules.playerRadius, p, inputs.get(seq).move);
          }
        }
        predicted++;
        if (p.x !== mine.f[X] || p.y !== mine.f[Y]) {
          fail(`frame ${i} (tick ${s.tick}, ack ${ack}): predicted (${p.x}, ${p.y}) from tick ${prev.tick}, the server has (${mine.f[X]}, ${mine.f[Y]})`);
        }
      }
      if (mine) {
        prev = { tick: s.tick, ack, x: mine.f[X], y: mine.f[Y], alive: mine.f[ALIVE] !== 0, match: { ...s.match } };
      }
    }
    const h = hash(s);
    if (h !== fr.hash || s.tick !== fr.tick) fail(`frame ${i} (${fr.kind}): tick ${s.tick} hash ${h}, the corpus says tick ${fr.tick} hash ${fr.hash}`);
  });
  console.log(`stream: ${file.frames.length} frames, ${checksums} checksums, ${predicted} snapshots predicted without a correction`);
}

// checkMovement runs every movement vector.
function checkMovement() {
  const file = read("movement.json");
  const arenas = file.arenas.map(arenaOf);
  let moves = 0;
  for (const c of file.cases) {
    const p = { x: c.start[0], y: c.start[1] };
    for (let i = 0; i < c.moves.length; i++) {
      move(arenas[c.arena], c.player_speed, c.player_radius, p, c.moves[i]);
      moves++;
      const [wx, wy] = c.positions[i];
      if (p.x !== wx || p.y !== wy) {
        fail(`movement "${c.name}" (speed ${c.player_speed}): after move ${i} (${c.moves[i]}) at (${p.x}, ${p.y}), the corpus says (${wx}, ${wy})`);
        break;
      }
    }
  }
  console.log(`movement: ${file.cases.length} cases, ${moves} moves`);
}

let passed = 0;
for (const check of [checkStream, checkMovement]) {
  const before = failures.length;
  try {
    check();
  } catch (e) {
    fail(`${check.name}: ${e.stack || e}`);
  }
  if (failures.length === before) passed++;
}
console.log(`conformance: ${passed} passed, ${2 - passed} failed`);
process.exit(failures.length === 0 ? 0 : 1);
