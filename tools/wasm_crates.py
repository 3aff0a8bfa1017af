#!/usr/bin/env python3
"""Code bytes of a wasm module per Rust crate, from its `name` section.

Usage: tools/wasm_crates.py FILE.wasm [N]

Reads the module the Rust compiler wrote (before wasm-bindgen and wasm-opt, which drop the
names), sums each function body's size under the crate its (legacy-mangled or demangled)
name starts with, and prints the N largest crates. A generic function is counted under the
crate that defines it (`core::ptr::drop_in_place<T>` under core), so the figures are an
estimate of what each crate costs, not an exact bill; the total is exact. With LTO a small
crate's code is often inlined into its callers and counted there (base64 does not show up: its
encoder lives in eda_playground's functions). wasm-bindgen's descriptor functions (removed by
wasm-bindgen itself) fall under "other".

`./run.sh size` prints this after the file sizes; `-v` lists the largest unattributed bodies.
"""
import re
import sys


def leb(data, i):
    result, shift = 0, 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def sections(data):
    if data[:4] != b"\0asm":
        sys.exit(f"{sys.argv[1]}: not a wasm module")
    i = 8
    while i < len(data):
        sid = data[i]
        size, j = leb(data, i + 1)
        yield sid, data[j:j + size]
        i = j + size


def imported_functions(body):
    count, i = leb(body, 0)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module name, field name
            n, i = leb(body, i)
            i += n
        kind = body[i]
        i += 1
        if kind == 0:  # function: type index
            _, i = leb(body, i)
            functions += 1
        elif kind == 1:  # table: reftype, limits
            i += 1
            flags, i = leb(body, i + 0)
            _, i = leb(body, i)
            if flags & 1:
                _, i = leb(body, i)
        elif kind == 2:  # memory: limits
            flags, i = leb(body, i)
            _, i = leb(body, i)
            if flags & 1:
                _, i = leb(body, i)
        elif kind == 3:  # global: valtype, mutability
            i += 2
        elif kind == 4:  # tag
            i += 1
            _, i = leb(body, i)
    return functions


def body_sizes(body):
    count, i = leb(body, 0)
    sizes = []
    for _ in range(count):
        size, i = leb(body, i)
        sizes.append(size)
        i += size
    return sizes


def function_names(body):
    return name_map(body, 1)


def name_map(body, subsection):
    """{index: name} of one name map of a custom section's body (1: functions, 9: data
    segments), or None when the section is not `name`."""
    name_len, i = leb(body, 0)
    if body[i:i + name_len] != b"name":
        return None
    i += name_len
    names = {}
    while i < len(body):
        sub = body[i]
        size, j = leb(body, i + 1)
        if sub == subsection:
            count, k = leb(body, j)
            for _ in range(count):
                index, k = leb(body, k)
                n, k = leb(body, k)
                names[index] = body[k:k + n].decode("utf-8", "replace")
                k += n
        i = j + size
    return names


def crate_of(name):
    if name.startswith("_ZN"):
        m = re.match(r"_ZN(\d+)", name)
        if m:
            n = int(m.group(1))
            start = m.end()
            first = name[start:start + n]
            if first.startswith("_$LT$"):
                # `<Type as Trait>::f`: the crate of the type the impl is for.
                rest = first[len("_$LT$"):]
                while True:
                    for prefix in ("$RF$", "mut$u20$", "$BP$", "const$u20$", "dyn$u20$", "$u5b$"):
                        if rest.startswith(prefix):
                            rest = rest[len(prefix):]
                            break
                    else:
                        break
                crate = re.split(r"\.\.|\$", rest, maxsplit=1)[0] or first
                # `<T as Trait>` for a type parameter or a primitive: the trait's crate.
                if "..." not in crate and re.fullmatch(r"[A-Z]|[iuf]\d+|bool|char|str", crate):
                    m2 = re.search(r"\$u20\$as\$u20\$([a-z_][a-z0-9_]*)\.\.", first)
                    return m2.group(1) if m2 else "(generic impls)"
                return crate
            return first
    if name.startswith("_R"):
        # v0 mangling (the precompiled standard library): the first crate root `C[s<hash>_]<len><name>`.
        m = re.search(r"C(?:s[0-9A-Za-z]*_)?(\d+)", name)
        if m:
            n = int(m.group(1))
            return name[m.end():m.end() + n]
    m = re.match(r"<?([A-Za-z_][A-Za-z0-9_]*)::", name.lstrip("<&*"))
    if m:
        return m.group(1)
    return "(other: wasm-bindgen descriptors, C, unnamed)"


def main():
    path = sys.argv[1]
    most = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 15
    data = open(path, "rb").read()
    imports, sizes, names = 0, [], None
    for sid, body in sections(data):
        if sid == 2:
            imports = imported_functions(body)
        elif sid == 10:
            sizes = body_sizes(body)
        elif sid == 0:
            names = function_names(body) or names
    if names is None:
        sys.exit(f"{path}: no name section (a stripped module); build without strip")
    per_crate, other = {}, []
    for k, size in enumerate(sizes):
        name = names.get(imports + k, "")
        crate = crate_of(name)
        if crate.startswith("(other"):
            other.append((size, name))
        per_crate[crate] = per_crate.get(crate, 0) + size
    if "-v" in sys.argv:
        for size, name in sorted(other, reverse=True)[:20]:
            print(f"  other: {size:>7} {name[:100]}")
    total = sum(sizes)
    print(f"code by crate (function bodies of {path.split('/')[-1]}, before wasm-opt): {total} bytes")
    for crate, size in sorted(per_crate.items(), key=lambda kv: -kv[1])[:most]:
        print(f"  {crate:<36} {size:>9}  {100.0 * size / total:5.1f} %")


if __name__ == "__main__":
    main()
