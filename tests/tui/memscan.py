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


CHUNK = 16 << 20
MAX_MAPPING = 4 << 30


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
            # A sanitizer's shadow memory is terabytes of reserved zeros;
            # the program's own heap is never near this.
            if hi - lo > MAX_MAPPING:
                continue
            # In chunks that overlap by a needle less one byte, so that
            # a prime across a boundary is still seen.
            prev = b""
            for at in range(lo, hi, CHUNK):
                try:
                    mem.seek(at)
                    data = mem.read(min(CHUNK, hi - at))
                except (OSError, ValueError, OverflowError):
                    break
                read += len(data)
                data = prev + data
                for path, needles in keys:
                    if any(n in data for n in needles):
                        hits.add(path)
                prev = data[-31:]
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
    except Exception as e:
        # Any failure is an error (2), never "found" (1) nor "none" (0).
        print("memscan: %s: %s" % (type(e).__name__, e))
        sys.exit(2)
