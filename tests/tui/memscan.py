# memscan.py PID KEYFILE... — tests/tui: does process PID still hold an RSA
# private key in memory? For each unencrypted PEM key file, the low 32 bytes
# of its primes p and q as GMP keeps them (little-endian limbs) are searched
# in every readable private mapping of PID. Prints "found NAME" for each key
# with a prime in memory, and exits 1 if any was found, 0 if none, 2 on
# errors, 77 without the right to read /proc/PID/mem (root or ptrace
# rights are needed) or when no mapping could be read: a scan that read
# nothing cannot say that a key is not there.
import re
import subprocess
import sys


def primes(path):
    out = subprocess.run(["openssl", "pkey", "-in", path, "-noout", "-text"],
                         check=True, capture_output=True, text=True).stdout
    found = []
    for name in ("prime1", "prime2"):
        m = re.search(name + r":\s*\n((?:\s+[0-9a-f:]+\n)+)", out)
        if m is None:
            sys.exit("memscan: no %s in %s" % (name, path))
        n = int(re.sub(r"[\s:]", "", m.group(1)), 16)
        found.append(n.to_bytes((n.bit_length() + 7) // 8, "little")[:32])
    return found


def main():
    pid = sys.argv[1]
    keys = [(p, primes(p)) for p in sys.argv[2:]]
    hits = set()
    read = 0
    try:
        mem = open("/proc/%s/mem" % pid, "rb", 0)
    except PermissionError as e:
        print("memscan: %s" % e)
        return 77
    with open("/proc/%s/maps" % pid) as maps, mem:
        for line in maps:
            f = line.split()
            if "r" not in f[1] or (len(f) > 5 and f[5].startswith("[v")):
                continue
            lo, hi = (int(x, 16) for x in f[0].split("-"))
            try:
                mem.seek(lo)
                data = mem.read(hi - lo)
            except (OSError, ValueError, OverflowError):
                continue
            read += len(data)
            for path, needles in keys:
                if any(n in data for n in needles):
                    hits.add(path)
    if read == 0:
        print("memscan: no mapping of %s could be read" % pid)
        return 77
    for path, _ in keys:
        if path in hits:
            print("found " + path)
    return 1 if hits else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, subprocess.CalledProcessError) as e:
        print("memscan: %s" % e)
        sys.exit(2)
