#!/usr/bin/env python3
"""Splits the app's wasm module in two: what the first view runs, and the rest, loaded later.

Usage: tools/wasm_split.py DIST_DIR
       tools/wasm_split.py --instrument DIST_DIR        (the build `./run.sh split-profile` runs)
       tools/wasm_split.py --profile FUNCTIONS.txt HITS.txt   (writes tools/split-profile.txt,
                                                        and tools/split-views.txt from HITS.txt.VIEW)

The module Trunk wrote (after wasm-bindgen and `wasm-opt -g`, so it still has its `name`
section) is rewritten in place as the *primary* module, and the bodies of the functions the
Playground does not run move to a *secondary* module, `NAME_rest.wasm`, beside it: the Kafka
tools of the Console, the lessons, import and export, the EDA vs SOA and WordCount views and
engines (chosen by name below), and what a recorded run of the Playground did not call
(`tools/split-profile.txt`, written by `./run.sh split-profile`). `static/start.js` fetches the
secondary after the app has started; until it is there, calling a moved function loads it at
once (a synchronous request), so the page works whichever arrives first. Each other view also
gets a module with the moved functions it runs first (`NAME_VIEW.wasm`, by
`tools/split-views.txt`), which start.js links before the app starts when the address names that
view (see `split`).

How the two fit (the same idea as binaryen's wasm-split, written for this app):
- a moved function keeps its index in the primary, with a body that notes its own slot of the
  function table in a global and calls the real one through that slot; the slots start out
  holding trampolines (one per function type) that first call the import `split.load` with the
  noted slot, which instantiates the secondary (it fills the slots with the real functions),
  then call through the slot again;
- the secondary imports the primary's memory, all its tables and globals (so those indices mean
  the same in both), and the primary functions the moved bodies call (the primary exports them
  as `f<index>`); a call from one moved function to another stays a direct call.

The name section and every other custom section are dropped from the primary (it is the file
users download); the `integrity` of index.html's preload link is updated.
"""
import base64
import bisect
import hashlib
import os
import re
import sys

# The binary format's readers shared with the per-crate size report.
from wasm_crates import function_names, leb as uleb, name_map, sections

# Functions the Playground never runs (checked by the e2e test
# `split_first_view_runs_without_the_rest`, which names the first one it would have called).
MOVED = re.compile(
    r"^<?(?:&(?:mut )?)?eda_playground::(?:"
    r"console::|"
    r"ui::lessons|"
    r"ui::console_view|"
    r"sim::import|sim::export|"
    r"ui::components::export|"
    r"ui::compare_view::[A-Z_a-z]|"
    r"ui::wordcount::[A-Z_a-z]|"
    r"sim::streams|sim::soa|sim::compare"
    r")"
)
# Parts of those modules the Playground does run: the app shell holds the Console's world, and
# restoring a saved session asks which lesson its address belongs to.
KEPT = re.compile(
    r"^<?(?:&(?:mut )?)?eda_playground::ui::(?:"
    r"console_view::model::SharedWorld|"
    r"lessons::lesson_of::"
    r")"
)

# Functions the Playground did not run in the last recorded profile (`./run.sh split-profile`),
# by `profile_key`: generic code of the other views (Yew's hooks of their state, serde for
# import and export, formatting only a tool prints) that names alone cannot attribute. A function
# not listed stays in the first module, so new code is never moved before a profile says so.
PROFILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "split-profile.txt")


# Smaller functions stay whatever the profile says: moving one saves less than the slot it may
# need costs, and small bodies are the ones wasm-opt merges, keeping one of their names (which
# one can change from build to build, so the name the profile saw cold may now run).
PROFILE_MIN_BYTES = 48


def profile_key(name):
    """A function's name without what changes between builds: the symbol hash (`::h…`), the
    crates' disambiguators (`[…]`) and wasm-opt's suffix for a repeated name (`.12`). Every
    instance of a generic function shares its key, so a key is cold only if none ran."""
    name = re.sub(r"::h[0-9a-f]{16}$", "", name)
    name = re.sub(r"\[[0-9a-f]{16}\]", "", name)
    return re.sub(r"\.[0-9]+$", "", name)


# The views a learner may open first, the Playground too, each with what it ran in its first
# seconds that not every view ran (`tools/split-views.txt`, `VIEW KEY` per line, also written by
# `./run.sh split-profile`): those functions go to the rest and to that view's own module,
# `NAME_VIEW.wasm`, fetched beside the first module when the address names the view (see
# `split`).
VIEWS = ("playground", "console", "wordcount", "eda-vs-soa", "lessons")
VIEWS_PROFILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "split-views.txt")


def read_views(path=VIEWS_PROFILE):
    views = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    view, _, key = line.rstrip("\n").partition(" ")
                    views.setdefault(view, set()).add(key)
    return views


def read_profile(path=PROFILE):
    if not os.path.exists(path):
        return set()
    with open(path) as f:
        return {line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")}


def write_profile(functions_path, hits_path, out_path=PROFILE, views_path=VIEWS_PROFILE):
    """The cold keys of a recorded run: functions.txt (`--instrument`), the indices the
    Playground ran (HITS.txt) and those each other view ran (HITS.txt.VIEW).

    The first module keeps what every view ran (each view downloads it); what only some views
    ran goes to the rest and to the module of each view that ran it, the Playground's included.
    Without every view's run, the first module keeps what the Playground ran, as before."""
    names = {}
    with open(functions_path) as f:
        for line in f:
            index, _, name = line.rstrip("\n").partition(" ")
            names[int(index)] = name

    def ran_in(path):
        with open(path) as f:
            return {profile_key(names[int(line)]) for line in f if line.strip()}

    ran = {"playground": ran_in(hits_path)}
    for view in VIEWS:
        path = f"{hits_path}.{view}"
        if view != "playground" and os.path.exists(path):
            ran[view] = ran_in(path)
    every = len(ran) == len(VIEWS)
    core = set.intersection(*ran.values()) if every else ran["playground"]
    cold = sorted({profile_key(n) for n in names.values()
                   if n and profile_key(n) not in core and not MOVED.match(n)})
    with open(out_path, "w") as f:
        f.write("# Written by `./run.sh split-profile` (tools/wasm_split.py --profile): functions\n"
                "# not every view ran in its first seconds, which the first module leaves to the\n"
                "# rest (besides those wasm_split.py's MOVED names). Do not edit by hand.\n")
        f.write("".join(f"{k}\n" for k in cold))
    print(f"wasm_split: {len(core)} function names every view ran; {len(cold)} cold names "
          f"written to {out_path}")
    # Each view's run: the keys it ran that the first module leaves out.
    left_out = set(cold) | {profile_key(n) for n in names.values() if n and MOVED.match(n)}
    lines = []
    for view in VIEWS:
        if view not in ran or (view == "playground" and not every):
            continue
        keys = sorted(ran[view] & left_out)
        lines += [f"{view} {k}\n" for k in keys]
        print(f"wasm_split: {view} ran {len(ran[view])} function names, {len(keys)} of them "
              f"left to the rest")
    if lines:
        with open(views_path, "w") as f:
            f.write("# Written by `./run.sh split-profile` (tools/wasm_split.py --profile): for each\n"
                    "# view, the functions of the rest it ran in its first seconds, which go to its\n"
                    "# own module. Do not edit by hand.\n")
            f.write("".join(lines))


# --- reading and writing the binary format -------------------------------------------------

def sleb(data, i):
    result = shift = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            if b & 0x40:
                result -= 1 << shift
            return result, i


def enc_u(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def enc_s(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def enc_name(s):
    raw = s.encode()
    return enc_u(len(raw)) + raw


def enc_vec(items):
    return enc_u(len(items)) + b"".join(items)


def section(sid, body):
    return bytes([sid]) + enc_u(len(body)) + body


def read_name(data, i):
    n, i = uleb(data, i)
    return data[i:i + n].decode(), i + n


def read_limits(data, i):
    flags, i = uleb(data, i)
    lo, i = uleb(data, i)
    hi = None
    if flags & 1:
        hi, i = uleb(data, i)
    return flags, lo, hi, i


def enc_limits(lo, hi):
    return b"\x00" + enc_u(lo) if hi is None else b"\x01" + enc_u(lo) + enc_u(hi)


# --- instructions ---------------------------------------------------------------------------

class Unsupported(Exception):
    pass


BLOCKTYPE_BYTES = {0x40, 0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F}


def rewrite_expr(data, i, end, funcmap, strict=False, const=False, address=None):
    """Copies the instructions of data[i:end] (or, for a constant expression, up to its `end`),
    mapping each function index (`call`, `ref.func`) through `funcmap`. Returns the new bytes
    and where the input stopped. With `strict`, instructions that name data or element segments
    or take a function reference raise `Unsupported` (a moved body cannot keep them).
    `address`, if given, sees every value that may be a static's address: each `i32.const` and
    each load's or store's constant offset; and None for `memory.init` or `data.drop`."""
    out = bytearray()
    depth = 0
    while i < (end if end is not None else len(data)):
        start = i
        op = data[i]
        i += 1
        if op in (0x02, 0x03, 0x04):
            depth += 1
            if data[i] in BLOCKTYPE_BYTES:
                i += 1
            else:
                _, i = sleb(data, i)
        elif op == 0x0B:
            if const and depth == 0:
                out += data[start:i]
                return bytes(out), i
            depth -= 1
        elif op in (0x0C, 0x0D):
            _, i = uleb(data, i)
        elif op == 0x0E:
            n, i = uleb(data, i)
            for _ in range(n + 1):
                _, i = uleb(data, i)
        elif op == 0x10 or op == 0xD2:
            f, i = uleb(data, i)
            if op == 0xD2 and strict:
                raise Unsupported("ref.func")
            out += bytes([op]) + enc_u(funcmap(f))
            continue
        elif op == 0x11:
            _, i = uleb(data, i)
            _, i = uleb(data, i)
        elif op in (0x12, 0x13):
            raise Unsupported("tail calls")
        elif op == 0x1C:
            n, i = uleb(data, i)
            i += n
        elif 0x20 <= op <= 0x26:
            _, i = uleb(data, i)
        elif 0x28 <= op <= 0x3E:
            _, i = uleb(data, i)
            offset, i = uleb(data, i)
            if address:
                address(offset)
        elif op in (0x3F, 0x40):
            i += 1
        elif op == 0x41:
            value, i = sleb(data, i)
            if address:
                address(value)
        elif op == 0x42:
            value, i = sleb(data, i)
            if address:
                # Two 32-bit values stored at once (a `&str`'s pointer and length written by
                # one `i64.store`): either half may be a static's address.
                address(value & 0xFFFFFFFF)
                address((value >> 32) & 0xFFFFFFFF)
        elif op == 0x43:
            i += 4
        elif op == 0x44:
            i += 8
        elif op == 0xD0:
            i += 1
        elif op == 0xFC:
            sub, i = uleb(data, i)
            if sub <= 7:
                pass
            elif sub == 8:  # memory.init
                if strict:
                    raise Unsupported("memory.init")
                if address:
                    address(None)
                _, i = uleb(data, i)
                i += 1
            elif sub == 9 or sub == 13:  # data.drop, elem.drop
                if strict:
                    raise Unsupported("segment drop")
                if address and sub == 9:
                    address(None)
                _, i = uleb(data, i)
            elif sub == 10:
                i += 2
            elif sub == 11:
                i += 1
            elif sub == 12 or sub == 14:  # table.init, table.copy
                if strict and sub == 12:
                    raise Unsupported("table.init")
                _, i = uleb(data, i)
                _, i = uleb(data, i)
            elif sub in (15, 16, 17):
                _, i = uleb(data, i)
            else:
                raise Unsupported(f"0xFC {sub}")
        elif op == 0xFD or op == 0xFB or op == 0xFE:
            raise Unsupported(f"prefix 0x{op:02X}")
        elif 0x45 <= op <= 0xC4 or op in (0x00, 0x01, 0x05, 0x0F, 0x1A, 0x1B, 0xD1):
            pass
        else:
            raise Unsupported(f"opcode 0x{op:02X} at {start}")
        out += data[start:i]
    if const:
        raise ValueError("constant expression without end")
    return bytes(out), i


def body_parts(body):
    """(locals bytes, instruction start) of a function body."""
    n, i = uleb(body, 0)
    for _ in range(n):
        _, i = uleb(body, i)
        i += 1
    return body[:i], i


def called(body):
    """Function indices a body calls or references."""
    found = set()

    def note(f):
        found.add(f)
        return f

    _, start = body_parts(body)
    rewrite_expr(body, start, len(body), note, strict=True)
    return found


# --- the split -------------------------------------------------------------------------------

def read_data(body):
    """[(address, bytes)] of a data section whose segments are all active in memory 0 at a
    constant address (what the Rust compiler writes), else None."""
    n, i = uleb(body, 0)
    out = []
    for _ in range(n):
        flags, i = uleb(body, i)
        if flags != 0 or body[i] != 0x41:
            return None
        address, i = sleb(body, i + 1)
        if body[i] != 0x0B:
            return None
        size, i = uleb(body, i + 1)
        out.append((address, bytes(body[i:i + size])))
        i += size
    return out


def enc_data(segments, join=True):
    """A data section of `segments`; with `join`, the ones a few bytes apart joined (the gap
    as zeros). Only the first module may join: it is instantiated into a zeroed memory. The
    rest is linked after the first module has run, and a gap can hold what that wrote (a
    zero-initialised static, which has no segment, or a small static the first module kept):
    zeros written there would reset it."""
    joined = []
    for address, data in sorted(segments):
        if join and joined and address - (joined[-1][0] + len(joined[-1][1])) <= 8:
            last_address, last = joined[-1]
            joined[-1] = (last_address, last + bytes(address - last_address - len(last)) + data)
        else:
            joined.append((address, data))
    return enc_vec([b"\x00\x41" + enc_s(a) + b"\x0b" + enc_u(len(d)) + d for a, d in joined]), len(joined)


# Bytes either side of an address that a reference may also reach: a constant can point a
# little before what it reads (`base - 8` plus an index times 8), or at the end of an array
# its loop walks back from (the end of `AUTO_KEYS`, which is where the next static starts), so
# the statics just before and after it stay too.
MARGIN = 64


# Whether statics move too: yes unless EDA_SPLIT_DATA=0 (build.rs reads the same variable). A
# static the first module reads but the rest holds reads as zeros until the rest is linked, and
# the page goes on without a panic, computing something else: the e2e test
# `split_first_view_needs_nothing_of_the_rest` compares the Playground's event log, on the
# first module alone, with the native engine's.
SPLIT_DATA = os.environ.get("EDA_SPLIT_DATA") != "0"


def data_reached(segments, refs):
    """The indices of the statics the primary can read, given each static as (address, bytes)
    (`statics_of`): any static within MARGIN of a constant of its code (`refs`), and, again, of
    any 4 bytes of a static so reached (a static holding a pointer to another)."""
    order = sorted(range(len(segments)), key=lambda k: segments[k][0])
    starts = [segments[k][0] for k in order]
    reached, work = set(), []

    def reach(v):
        k = max(bisect.bisect_right(starts, v - MARGIN) - 1, 0)
        while k < len(order) and starts[k] <= v + MARGIN:
            address, data = segments[order[k]]
            if address + len(data) >= v - MARGIN and order[k] not in reached:
                reached.add(order[k])
                work.append(order[k])
            k += 1

    low = starts[0] - MARGIN
    high = max(a + len(d) for a, d in segments)
    for v in refs:
        if low <= v <= high:
            reach(v)
    while work:
        data = segments[work.pop()][1]
        for i in range(len(data) - 3):
            v = int.from_bytes(data[i:i + 4], "little")
            if low <= v <= high:
                reach(v)
    return reached


def statics_of(segments, before):
    """The statics the optimised module's data `segments` belong to, as (address, bytes), from
    `before`, the data of the same module before wasm-opt, where each static has its own segment
    (build.rs links with --no-merge-data-segments). wasm-opt cuts a static's segment at runs of
    zeros (binaryen's memory packing): an array of structs becomes many segments, and a
    reference to its start reaches only the first of them. None when `before` is not the same
    module's (a segment not inside one static, or other bytes there)."""
    if not before:
        return None
    statics = sorted(before)
    starts = [a for a, _ in statics]
    for address, data in segments:
        k = bisect.bisect_right(starts, address) - 1
        if k < 0:
            return None
        start, static = statics[k]
        if static[address - start:address - start + len(data)] != data:
            return None
    return statics


def segments_within(segments, statics, chosen):
    """The indices of `segments` that lie inside one of `statics` whose index is in `chosen`."""
    starts = [a for a, _ in statics]
    inside = set()
    for k, (address, _) in enumerate(segments):
        if bisect.bisect_right(starts, address) - 1 in chosen:
            inside.add(k)
    return inside


class Module:
    """The sections of a module this tool reads or rewrites, decoded."""


def parse(data):
    types, imports, funcs, tables, memories, globals_, exports = [], [], [], [], [], [], []
    elems, codes, names = None, [], {}
    data_segments = None
    raw = {}
    start_func = None
    for sid, body in sections(data):
        raw[sid] = body
        if sid == 0:
            names = function_names(body) or names
        elif sid == 1:
            n, i = uleb(body, 0)
            for _ in range(n):
                assert body[i] == 0x60, "only function types"
                p, i = uleb(body, i + 1)
                params = body[i:i + p]
                i += p
                r, i = uleb(body, i)
                results = body[i:i + r]
                i += r
                types.append((bytes(params), bytes(results)))
        elif sid == 2:
            n, i = uleb(body, 0)
            for _ in range(n):
                mod, i = read_name(body, i)
                field, i = read_name(body, i)
                kind = body[i]
                i += 1
                s = i
                if kind == 0:
                    _, i = uleb(body, i)
                elif kind == 1:
                    _, _, _, i = read_limits(body, i + 1)
                elif kind == 2:
                    _, _, _, i = read_limits(body, i)
                elif kind == 3:
                    i += 2
                else:
                    raise Unsupported(f"import kind {kind}")
                imports.append((mod, field, kind, body[s:i]))
        elif sid == 3:
            n, i = uleb(body, 0)
            for _ in range(n):
                t, i = uleb(body, i)
                funcs.append(t)
        elif sid == 4:
            n, i = uleb(body, 0)
            for _ in range(n):
                ref = body[i]
                _, lo, hi, i = read_limits(body, i + 1)
                tables.append([ref, lo, hi])
        elif sid == 5:
            n, i = uleb(body, 0)
            for _ in range(n):
                _, lo, hi, i = read_limits(body, i)
                memories.append((lo, hi))
        elif sid == 6:
            n, i = uleb(body, 0)
            for _ in range(n):
                gtype = body[i:i + 2]
                init, i = rewrite_expr(body, i + 2, None, lambda f: f, const=True)
                globals_.append((gtype, init))
        elif sid == 7:
            n, i = uleb(body, 0)
            for _ in range(n):
                nm, i = read_name(body, i)
                kind = body[i]
                idx, i = uleb(body, i + 1)
                exports.append((nm, kind, idx))
        elif sid == 8:
            start_func, _ = uleb(body, 0)
        elif sid == 9:
            elems = body
        elif sid == 10:
            n, i = uleb(body, 0)
            for _ in range(n):
                size, i = uleb(body, i)
                codes.append(body[i:i + size])
                i += size
        elif sid == 11:
            data_segments = read_data(body)
    if not names:
        raise SystemExit("no name section: build with `wasm-opt -g` (index.html's data-wasm-opt-params)")
    m = Module()
    m.types, m.imports, m.funcs, m.tables, m.memories = types, imports, funcs, tables, memories
    m.globals, m.exports, m.elems, m.codes, m.names = globals_, exports, elems, codes, names
    m.raw, m.start, m.data = raw, start_func, data_segments
    m.n_imp = sum(1 for imp in imports if imp[2] == 0)
    return m


def split(data, before=None, writable=frozenset()):
    """Splits `data` (the optimised module); `before` is the data section of the same module
    before wasm-opt ([(address, bytes)], one segment per static), needed to move statics, and
    `writable` the addresses of its writable statics.

    Besides the rest, each view of `read_views()` gets a module of its own holding the moved
    functions it ran (`NAME_VIEW.wasm`): linked before the app starts when the address names
    that view, it fills those functions' slots, so the view starts without the whole rest. Its
    functions call other moved functions through their slots (the rest loads on demand), and
    the rest, linked later, fills the same slots with the same code again. It writes the
    read-only statics its code reads (the rest writes the same bytes again later); a writable
    one it reads stays in the first module, so nothing a view changed is reset."""
    m = parse(data)
    types, imports, funcs, tables, memories = m.types, m.imports, m.funcs, m.tables, m.memories
    globals_, exports, elems, codes, names = m.globals, m.exports, m.elems, m.codes, m.names
    raw, start_func = m.raw, m.start

    n_imp = sum(1 for imp in imports if imp[2] == 0)
    n_def = len(funcs)

    # Which defined functions move (not those a secondary module could not hold), and what
    # each calls.
    moved, calls = [], {}
    cold = read_profile()
    for d in range(n_def):
        name = names.get(n_imp + d, "")
        by_profile = profile_key(name) in cold and len(codes[d]) >= PROFILE_MIN_BYTES
        if (MOVED.match(name) or by_profile) and not KEPT.match(name):
            try:
                calls[d] = called(codes[d])
            except Unsupported:
                continue
            moved.append(d)
    moved_set = set(moved)
    if not moved:
        return None
    # Each view's own module: the moved functions it ran.
    addons = {}
    for view, keys in sorted(read_views().items()):
        own = [d for d in moved if profile_key(names.get(n_imp + d, "")) in keys]
        if own:
            addons[view] = own

    def shift(f):
        return f if f < n_imp else f + 1

    def called_outside(own):
        """The functions the bodies of `own` call that a module holding them does not hold."""
        own_set = set(own)
        return {f for d in own for f in calls[d]
                if not (f >= n_imp and (f - n_imp) in own_set)}

    load_idx = n_imp

    # What stays in the primary, in primary numbering, noting the moved functions it can reach
    # (a call, the function table, an export): only those need a slot and a trampoline, the
    # others are called from moved code alone and keep an empty body in the primary.
    reached = set()

    def note(f):
        if f >= n_imp and (f - n_imp) in moved_set:
            reached.add(f - n_imp)
        return shift(f)

    refs = []
    p_codes = {}
    for d, body in enumerate(codes):
        if d not in moved_set:
            loc, start = body_parts(body)
            p_codes[d] = loc + rewrite_expr(body, start, len(body), note, address=refs.append)[0]
    p_globals = [gtype + rewrite_expr(init, 0, None, note, const=True, address=refs.append)[0]
                 for gtype, init in globals_]
    p_elems = rewrite_elems(elems, note) if elems is not None else []
    for _, kind, idx in exports:
        if kind == 0:
            note(idx)
    if start_func is not None:
        note(start_func)
    # A view's module calls the moved functions it does not hold through their slots.
    for own in addons.values():
        reached |= {f - n_imp for f in called_outside(own)
                    if f >= n_imp and (f - n_imp) in moved_set}
    slots = [d for d in moved if d in reached]

    # The statics only moved code reads move too: the secondary writes them into the shared
    # memory as it is instantiated, before any of its code runs. Not when the primary's code
    # names data segments (`memory.init`), whose indices would change.
    hot_data, cold_data = m.data, []
    statics = statics_of(m.data, before) if SPLIT_DATA and m.data else None
    if SPLIT_DATA and statics is None:
        print("wasm_split: statics stay in the first module: no data section from before "
              "wasm-opt to tell where each static starts and ends", file=sys.stderr)
    addon_data = {view: [] for view in addons}
    if statics is not None and None not in refs:
        hot_statics = data_reached(statics, refs)
        # What each view's module reads: read-only statics it writes itself; writable ones stay
        # in the first module.
        writable_statics = {k for k, (a, _) in enumerate(statics) if a in writable}
        addon_statics = {}
        for view, own in addons.items():
            own_refs = []
            for d in own:
                loc, start = body_parts(codes[d])
                rewrite_expr(codes[d], start, len(codes[d]), lambda f: f, address=own_refs.append)
            addon_statics[view] = data_reached(statics, own_refs) - hot_statics
            hot_statics |= addon_statics[view] & writable_statics
        hot = segments_within(m.data, statics, hot_statics)
        hot_data = [seg for k, seg in enumerate(m.data) if k in hot]
        cold_data = [seg for k, seg in enumerate(m.data) if k not in hot]
        for view, chosen in addon_statics.items():
            inside = segments_within(m.data, statics, chosen - hot_statics)
            addon_data[view] = [seg for k, seg in enumerate(m.data) if k in inside]

    # The function table the slots live in: the first defined funcref table.
    n_imp_tables = sum(1 for imp in imports if imp[2] == 1)
    table = next(k for k, t in enumerate(tables) if t[0] == 0x70)
    table_idx = n_imp_tables + table
    base = tables[table][1]
    tables[table][1] = base + len(slots)
    if tables[table][2] is not None:
        tables[table][2] = max(tables[table][2], tables[table][1])

    # The import `split.load: (i32) -> ()`.
    load_type = (b"\x7f", b"")
    if load_type in types:
        load_type_idx = types.index(load_type)
    else:
        types.append(load_type)
        load_type_idx = len(types) - 1

    # What a secondary module holding `own` imports from the primary (in primary numbering):
    # the functions its bodies call that it does not hold (a moved one through its stub).
    def imported_by(own):
        return sorted({shift(f) for f in called_outside(own)})

    needed = sorted(set(imported_by(moved)).union(*(imported_by(own) for own in addons.values())))

    slot_of = {d: k for k, d in enumerate(slots)}

    # The slot a stub is about to call through, for the trampoline that may answer: a mutable
    # i32 global of the primary's own, after all the others (the secondaries import the others
    # only, `g0`..`g{n_globals - 1}`).
    n_globals = sum(1 for imp in imports if imp[2] == 3) + len(globals_)
    pending = n_globals
    # One trampoline per function type, not per slot: it reads the slot from `pending`.
    tramp_types = sorted({funcs[d] for d in slots})

    def call_noted(t):
        """The end of a stub's and a trampoline's body (type `t`): its parameters passed on to
        the slot noted in `pending` (only `local.get`s since it was set; 1.8 KB br less than a
        second `i32.const` in each stub)."""
        params, _ = types[t]
        code = b"".join(b"\x20" + enc_u(k) for k in range(len(params)))
        return code + b"\x23" + enc_u(pending) + b"\x11" + enc_u(t) + enc_u(table_idx) + b"\x0b"

    def stub(d):
        """A moved function's body in the primary: notes its slot, calls through it."""
        slot = b"\x41" + enc_s(base + slot_of[d]) + b"\x24" + enc_u(pending)
        return b"\x00" + slot + call_noted(funcs[d])  # no locals

    def trampoline(t):
        """What a slot holds until a module fills it: loads the rest, then calls the slot the
        calling stub noted again (loading runs none of the app's code, so it is still noted)."""
        load = b"\x23" + enc_u(pending) + b"\x10" + enc_u(load_idx)
        return b"\x00" + load + call_noted(t)  # no locals

    # --- the primary ---
    p_types = enc_vec([b"\x60" + enc_u(len(p)) + p + enc_u(len(r)) + r for p, r in types])
    p_imports = [enc_name(m) + enc_name(f) + bytes([k]) + desc for m, f, k, desc in imports]
    # The load import goes last among the function imports' indices: after all of them in the
    # import section is enough, since other kinds do not count in the function index space.
    p_imports.append(enc_name("split") + enc_name("load") + b"\x00" + enc_u(load_type_idx))
    # The trampolines follow the defined functions, one per type, in `tramp_types`' order.
    p_funcs = enc_vec([enc_u(t) for t in funcs] + [enc_u(t) for t in tramp_types])
    p_tables = enc_vec([bytes([ref]) + enc_limits(lo, hi) for ref, lo, hi in tables])
    n_tables = n_imp_tables + len(tables)
    p_exports = [enc_name(nm) + bytes([kind]) + enc_u(shift(idx) if kind == 0 else idx)
                 for nm, kind, idx in exports]
    p_exports += [enc_name(f"f{f}") + b"\x00" + enc_u(f) for f in needed]
    p_exports += [enc_name(f"g{g}") + b"\x03" + enc_u(g) for g in range(n_globals)]
    p_exports += [enc_name(f"t{t}") + b"\x01" + enc_u(t) for t in range(n_tables)]
    p_exports.append(enc_name("m") + b"\x02" + enc_u(0))
    first_trampoline = n_imp + 1 + n_def
    slot_offset = b"\x41" + enc_s(base) + b"\x0b"
    tramp_of = {t: first_trampoline + k for k, t in enumerate(tramp_types)}
    tramp_refs = enc_vec([enc_u(tramp_of[funcs[d]]) for d in slots])
    if table_idx == 0:
        p_elems.append(b"\x00" + slot_offset + tramp_refs)
    else:
        p_elems.append(b"\x02" + enc_u(table_idx) + slot_offset + b"\x00" + tramp_refs)
    unreachable = b"\x00\x00\x0b"  # no locals; `unreachable`: only moved code calls it
    p_codes = [p_codes[d] if d not in moved_set else stub(d) if d in slot_of else unreachable
               for d in range(n_def)]
    p_codes += [trampoline(t) for t in tramp_types]

    out = bytearray(b"\0asm\x01\0\0\0")
    out += section(1, p_types)
    out += section(2, enc_vec(p_imports))
    out += section(3, p_funcs)
    out += section(4, p_tables)
    if 5 in raw:
        out += section(5, raw[5])
    out += section(6, enc_vec(p_globals + [b"\x7f\x01\x41\x00\x0b"]))  # `pending`: mut i32 = 0
    out += section(7, enc_vec(p_exports))
    if start_func is not None:
        out += section(8, enc_u(shift(start_func)))
    out += section(9, enc_vec(p_elems))
    p_data = None
    if cold_data:
        p_data, p_data_count = enc_data(hot_data)
    if 12 in raw:
        out += section(12, enc_u(p_data_count) if p_data else raw[12])
    out += section(10, enc_vec([enc_u(len(c)) + c for c in p_codes]))
    if p_data:
        out += section(11, p_data)
    elif 11 in raw:
        out += section(11, raw[11])
    primary = bytes(out)

    # --- the secondaries: the rest, and each view's module ---
    def secondary(own, own_data):
        own_set = set(own)
        imports_here = imported_by(own)
        import_index = {f: k for k, f in enumerate(imports_here)}
        defined_index = {d: len(imports_here) + k for k, d in enumerate(own)}

        def sec_map(f):
            if f >= n_imp and (f - n_imp) in own_set:
                return defined_index[f - n_imp]
            return import_index[shift(f)]

        s_imports = []
        primary_funcs_types = [imp for imp in imports if imp[2] == 0]
        for f in imports_here:
            if f < n_imp:
                t, _ = uleb(primary_funcs_types[f][3], 0)
            elif f == load_idx:
                t = load_type_idx
            else:
                t = funcs[f - n_imp - 1]
            s_imports.append(enc_name("p") + enc_name(f"f{f}") + b"\x00" + enc_u(t))
        t = 0
        for _, _, kind, desc in imports:
            if kind == 1:
                s_imports.append(enc_name("p") + enc_name(f"t{t}") + b"\x01" + desc)
                t += 1
        for ref, lo, hi in tables:
            s_imports.append(enc_name("p") + enc_name(f"t{t}") + b"\x01" + bytes([ref]) + enc_limits(lo, None))
            t += 1
        g = 0
        for _, _, kind, desc in imports:
            if kind == 3:
                s_imports.append(enc_name("p") + enc_name(f"g{g}") + b"\x03" + desc)
                g += 1
        for gtype, _ in globals_:
            s_imports.append(enc_name("p") + enc_name(f"g{g}") + b"\x03" + gtype)
            g += 1
        mems = [imp for imp in imports if imp[2] == 2]
        if mems:
            lo = read_limits(mems[0][3], 0)[1]
        else:
            lo = memories[0][0]
        s_imports.append(enc_name("p") + enc_name("m") + b"\x02" + enc_limits(lo, None))
        s_funcs = enc_vec([enc_u(funcs[d]) for d in own])
        # The slots of its functions, one element segment per run of consecutive slots.
        runs = []
        for d in sorted((d for d in own if d in slot_of), key=slot_of.get):
            if runs and slot_of[runs[-1][-1]] + 1 == slot_of[d]:
                runs[-1].append(d)
            else:
                runs.append([d])
        s_elems = []
        for run in runs:
            offset = b"\x41" + enc_s(base + slot_of[run[0]]) + b"\x0b"
            refs_ = enc_vec([enc_u(defined_index[d]) for d in run])
            if table_idx == 0:
                s_elems.append(b"\x00" + offset + refs_)
            else:
                s_elems.append(b"\x02" + enc_u(table_idx) + offset + b"\x00" + refs_)
        s_codes = []
        for d in own:
            body = codes[d]
            loc, start = body_parts(body)
            ins, _ = rewrite_expr(body, start, len(body), sec_map, strict=True)
            s_codes.append(loc + ins)
        out = bytearray(b"\0asm\x01\0\0\0")
        out += section(1, p_types)
        out += section(2, enc_vec(s_imports))
        out += section(3, s_funcs)
        out += section(9, enc_vec(s_elems))
        out += section(10, enc_vec([enc_u(len(c)) + c for c in s_codes]))
        if own_data:
            out += section(11, enc_data(own_data, join=False)[0])
        return bytes(out)

    secondary_ = secondary(moved, cold_data)
    views = {view: secondary(own, addon_data[view]) for view, own in addons.items()}
    moved_bytes = sum(len(codes[d]) for d in moved)
    data_bytes = sum(len(d) for _, d in cold_data)
    listing = "".join(f"{base + slot_of[d]} {names.get(n_imp + d, '')}\n" for d in slots)
    return primary, secondary_, len(moved), moved_bytes, data_bytes, listing, views


def instrument(data):
    """The module with every defined function reporting its first call: the import
    `split.hit(index)` is called once per function (a global per function says whether it has
    been), so a run of the page lists what it ran (`./run.sh split-profile`). Returns the module
    and its function names by the index `hit` reports."""
    m = parse(data)
    hit_type = (b"\x7f", b"")
    types = list(m.types)
    if hit_type not in types:
        types.append(hit_type)
    hit_type_idx = types.index(hit_type)
    hit_idx = m.n_imp

    def shift(f):
        return f if f < m.n_imp else f + 1

    n_globals = sum(1 for imp in m.imports if imp[2] == 3) + len(m.globals)
    out = bytearray(b"\0asm\x01\0\0\0")
    out += section(1, enc_vec([b"\x60" + enc_u(len(p)) + p + enc_u(len(r)) + r for p, r in types]))
    imports = [enc_name(mod) + enc_name(f) + bytes([k]) + desc for mod, f, k, desc in m.imports]
    imports.append(enc_name("split") + enc_name("hit") + b"\x00" + enc_u(hit_type_idx))
    out += section(2, enc_vec(imports))
    out += section(3, enc_vec([enc_u(t) for t in m.funcs]))
    if 4 in m.raw:
        out += section(4, m.raw[4])
    if 5 in m.raw:
        out += section(5, m.raw[5])
    globals_ = [gtype + rewrite_expr(init, 0, None, shift, const=True)[0] for gtype, init in m.globals]
    globals_ += [b"\x7f\x01\x41\x00\x0b"] * len(m.funcs)
    out += section(6, enc_vec(globals_))
    out += section(7, enc_vec([enc_name(nm) + bytes([kind]) + enc_u(shift(idx) if kind == 0 else idx)
                               for nm, kind, idx in m.exports]))
    if m.start is not None:
        out += section(8, enc_u(shift(m.start)))
    if m.elems is not None:
        out += section(9, enc_vec(rewrite_elems(m.elems, shift)))
    if 12 in m.raw:
        out += section(12, m.raw[12])
    codes = []
    for d, body in enumerate(m.codes):
        loc, start = body_parts(body)
        g = enc_u(n_globals + d)
        probe = (b"\x23" + g + b"\x45\x04\x40\x41\x01\x24" + g
                 + b"\x41" + enc_s(d) + b"\x10" + enc_u(hit_idx) + b"\x0b")
        ins, _ = rewrite_expr(body, start, len(body), shift)
        codes.append(loc + probe + ins)
    out += section(10, enc_vec([enc_u(len(c)) + c for c in codes]))
    if 11 in m.raw:
        out += section(11, m.raw[11])
    names = [m.names.get(m.n_imp + d, "") for d in range(len(m.funcs))]
    return bytes(out), names


def rewrite_elems(body, funcmap):
    n, i = uleb(body, 0)
    segs = []
    for _ in range(n):
        flags, i = uleb(body, i)
        out = bytearray(enc_u(flags))
        if flags in (2, 6):
            t, i = uleb(body, i)
            out += enc_u(t)
        if flags in (0, 2, 4, 6):
            off, i = rewrite_expr(body, i, None, funcmap, const=True)
            out += off
        if flags in (1, 2, 3):
            out.append(body[i])  # elemkind
            i += 1
        elif flags in (5, 6, 7):
            out.append(body[i])  # reftype
            i += 1
        count, i = uleb(body, i)
        out += enc_u(count)
        for _ in range(count):
            if flags < 4:
                f, i = uleb(body, i)
                out += enc_u(funcmap(f))
            else:
                e, i = rewrite_expr(body, i, None, funcmap, const=True)
                out += e
        segs.append(bytes(out))
    return segs


def strip_custom(data):
    out = bytearray(data[:8])
    for sid, body in sections(data):
        if sid != 0:
            out += section(sid, body)
    return bytes(out)


def sri(data):
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def data_before_wasm_opt(wasm_name):
    """The data section of the module wasm-bindgen wrote before Trunk ran wasm-opt on it
    (`target/wasm-bindgen/release/NAME_bg.wasm` for dist's `NAME-HASH_bg.wasm`), if there, and
    the addresses of its writable statics (segments the linker named `.data.*` or `.tdata.*`;
    the others are `.rodata.*`)."""
    stem = re.sub(r"-[0-9a-f]{16}(_bg\.wasm)$", r"\1", wasm_name)
    path = os.path.join("target", "wasm-bindgen", "release", stem)
    if not SPLIT_DATA or not os.path.exists(path):
        return None, set()
    body, names = None, {}
    for sid, sec in sections(open(path, "rb").read()):
        if sid == 11:
            body = sec
        elif sid == 0:
            names = name_map(sec, 9) or names
    if body is None:
        return None, set()
    data = read_data(body)
    if data is None:
        return None, set()
    # Without the names, every static counts as writable: none is written twice.
    writable = {a for k, (a, _) in enumerate(data)
                if not names.get(k, ".data").startswith(".rodata")}
    return data, writable


def main():
    args = sys.argv[1:]
    mode = args.pop(0) if args and args[0].startswith("-") else None
    if mode in ("-h", "--help"):
        print(__doc__)
        return
    wanted = {None: 1, "--instrument": 1, "--profile": 2}
    if wanted.get(mode, -1) != len(args):
        usage = __doc__.split("\n\n")[1]
        raise SystemExit(f"{usage}\nwasm_split.py: unexpected arguments: {' '.join(sys.argv[1:])}")
    if mode == "--profile":
        write_profile(args[0], args[1])
        return
    dist = args[0]
    index_path = os.path.join(dist, "index.html")
    index = open(index_path).read()
    m = re.search(r'data-wasm="?\./([^" >]+\.wasm)', index)
    if not m:
        raise SystemExit(f"{index_path}: no data-wasm")
    wasm_name = m.group(1)
    wasm_path = os.path.join(dist, wasm_name)
    data = open(wasm_path, "rb").read()
    if mode == "--instrument":
        primary, names = instrument(data)
        with open(os.path.join(dist, "functions.txt"), "w") as f:
            f.write("".join(f"{d} {name}\n" for d, name in enumerate(names)))
        print(f"wasm_split: {wasm_name} instrumented ({len(names)} functions report their first call)")
        result = None
    else:
        result = split(data, *data_before_wasm_opt(wasm_name))
    rest_name = wasm_name[:-len(".wasm")] + "_rest.wasm"
    if mode == "--instrument":
        pass
    elif result is None:
        primary = strip_custom(data)
        print(f"wasm_split: nothing to move; {wasm_name} without its custom sections")
    else:
        primary, secondary, count, moved_bytes, data_bytes, listing, views = result
        os.makedirs("target", exist_ok=True)
        with open(os.path.join("target", "wasm-split.txt"), "w") as f:
            f.write(listing)
        with open(os.path.join(dist, rest_name), "wb") as f:
            f.write(secondary)
        index = re.sub(r"(<script )", rf"\1data-rest=./{rest_name} ", index, count=1)
        if views:
            named = []
            for view, module in views.items():
                view_name = wasm_name[:-len(".wasm")] + f"_{view}.wasm"
                with open(os.path.join(dist, view_name), "wb") as f:
                    f.write(module)
                named.append(f"{view}:./{view_name}")
                print(f"wasm_split: {view_name} ({len(module)} B): what #/{view} runs of the rest")
            index = re.sub(r"(<script )", rf"\1data-views={','.join(named)} ", index, count=1)
        print(f"wasm_split: {count} functions ({moved_bytes} code bytes; "
              f"{listing.count(chr(10))} of them reached from the first module through a slot) "
              f"and {data_bytes} bytes of statics moved to {rest_name} ({len(secondary)} B); "
              f"{wasm_name} {len(data)} B -> {len(primary)} B")
    with open(wasm_path, "wb") as f:
        f.write(primary)
    index = re.sub(
        r"(href=\"?\./" + re.escape(wasm_name) + r"\"? integrity=)\"?sha384-[A-Za-z0-9+/=]+\"?",
        lambda mm: mm.group(1) + sri(primary), index)
    with open(index_path, "w") as f:
        f.write(index)


if __name__ == "__main__":
    main()
