#!/usr/bin/env bash
# Gets the STARE vessel dataset that the README tour, `loupe simulate` and bench/stare.sh use:
# 20 fundus photographs with hand-drawn vessel labels by two observers (Hoover et al., IEEE TMI
# 19(3):203-210, 2000; https://cecas.clemson.edu/~ahoover/stare/). Research use; cite the paper.
#
#   scripts/get-stare.sh [DEST]          (default: ./stare, relative to the current directory)
#
# Where from:
#   1. A local copy, if there is one: $STARE_SOURCE, else ../shared/datasets/stare next to the
#      repository. Its files are copied and checked against its own SHA256SUMS.
#      DEST gets images/, labels-ah/, labels-vk/ and masks-fov/ (+ README.md, SHA256SUMS,
#      SOURCE_FILES.txt).
#   2. Otherwise the official STARE site ($STARE_BASE_URL, default below): stare-images.tar,
#      labels-ah.tar and labels-vk.tar, whose members are gzipped PPM/PGM files. Needs curl or
#      wget, and python3 (standard library only). Each image is gunzipped, decoded and written
#      as PNG, so DEST has the local copy's layout and file names: images/imXXXX.png,
#      labels-ah/imXXXX.ah.png, labels-vk/imXXXX.vk.png (no masks-fov/: that folder is not part
#      of the STARE release). The site publishes no checksums of its archives, so what is
#      checked is the decoded content: every image's width, height, channel count and the
#      SHA-256 of its pixel array must equal the values below, which are those of the local
#      copy (whose PNGs decode to exactly the pixels of the original PPM files).
#
# Any mismatch or failure exits non-zero and leaves no DEST behind: everything is built in
# DEST.partial, which is renamed to DEST only once every check has passed.
set -euo pipefail

STARE_BASE_URL=${STARE_BASE_URL:-https://cecas.clemson.edu/~ahoover/stare/probing}
ARCHIVES=(stare-images.tar labels-ah.tar labels-vk.tar)

die() {
    echo "get-stare: error: $*" >&2
    exit 1
}
say() { echo "get-stare: $*" >&2; }

dest=${1:-stare}
dest=${dest%/}
[[ $# -le 1 ]] || die "usage: scripts/get-stare.sh [DEST]"
[[ -n $dest ]] || die "DEST is empty"
[[ ! -e $dest && ! -L $dest ]] || die "$dest already exists; remove it or give another DEST"
partial="$dest.partial"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ -e $partial || -L $partial ]]; then
    say "removing $partial left by an earlier run"
    rm -rf -- "$partial"
fi
done_ok=0
cleanup() {
    if [[ $done_ok -eq 0 && -e $partial ]]; then
        rm -rf -- "$partial"
        echo "get-stare: nothing written to $dest" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p -- "$(dirname -- "$dest")"
mkdir -- "$partial"

# Checks every line of SHA256SUMS in the current directory (GNU sha256sum, or shasum on macOS).
check_sums() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum --check --quiet --strict SHA256SUMS
    elif command -v shasum >/dev/null 2>&1; then
        shasum --algorithm 256 --check --quiet --strict SHA256SUMS
    else
        die "neither sha256sum nor shasum found"
    fi
}

copy_local() {
    local src=$1 sum path n=0
    [[ -f $src/SHA256SUMS ]] || die "$src has no SHA256SUMS"
    say "copying from $src"
    # Every file SHA256SUMS lists, and nothing else (plus the dataset's notes, if there).
    while read -r sum path; do
        [[ $sum =~ ^[0-9a-f]{64}$ ]] || die "$src/SHA256SUMS: malformed line: $sum $path"
        [[ $path =~ ^(images|labels-ah|labels-vk|masks-fov)/[A-Za-z0-9._-]+$ ]] \
            || die "$src/SHA256SUMS: unexpected path '$path'"
        [[ -f $src/$path ]] || die "$src/$path is missing"
        mkdir -p -- "$partial/${path%/*}"
        cp -- "$src/$path" "$partial/$path"
        n=$((n + 1))
    done <"$src/SHA256SUMS"
    local id
    for id in "${IDS[@]}"; do
        for path in "images/$id.png" "labels-ah/$id.ah.png" "labels-vk/$id.vk.png"; do
            [[ -f $partial/$path ]] || die "$src/SHA256SUMS does not list $path"
        done
    done
    for path in README.md SHA256SUMS SOURCE_FILES.txt; do
        if [[ -f $src/$path ]]; then cp -- "$src/$path" "$partial/$path"; fi
    done
    chmod -R u+w -- "$partial"
    say "checking $n files against $src/SHA256SUMS"
    (cd -- "$partial" && check_sums) || die "SHA-256 mismatch in the copy from $src (see above)"
}

fetch() {
    local url=$1 out=$2
    say "downloading $url"
    if command -v curl >/dev/null 2>&1; then
        curl --fail --location --silent --show-error --retry 3 --connect-timeout 30 \
            --output "$out" -- "$url" || die "download failed: $url"
    elif command -v wget >/dev/null 2>&1; then
        wget --quiet --tries=3 --timeout=60 --output-document="$out" -- "$url" \
            || die "download failed: $url"
    else
        die "neither curl nor wget found; install one, or set STARE_SOURCE to a local copy"
    fi
    [[ -s $out ]] || die "download of $url is empty"
}

download() {
    command -v python3 >/dev/null 2>&1 || die "python3 is needed to decode the downloaded PPM files"
    local work="$partial/.download" name
    mkdir -- "$work"
    for name in "${ARCHIVES[@]}"; do
        fetch "${STARE_BASE_URL%/}/$name" "$work/$name"
    done
    printf '%s\n' "$PIXELS" >"$work/pixels.sha256"
    say "decoding, checking decoded content, writing PNG"
    python3 - "$work" "$partial" <<'PY' || die "the downloaded data failed its checks (see above)"
import gzip, hashlib, os, struct, sys, tarfile, zlib

work, out = sys.argv[1], sys.argv[2]
ARCHIVE = {"images": "stare-images.tar", "labels-ah": "labels-ah.tar", "labels-vk": "labels-vk.tar"}


def fail(message):
    print("get-stare: error: " + message, file=sys.stderr)
    sys.exit(1)


def members(path):
    """Regular files of a tar, by base name (the archives hold flat imXXXX[.ah|.vk].ppm.gz)."""
    found = {}
    try:
        with tarfile.open(path) as tar:
            for info in tar:
                if info.isfile():
                    found[os.path.basename(info.name)] = tar.extractfile(info).read()
    except (tarfile.TarError, OSError, EOFError) as error:
        fail("%s: not a readable tar archive (%s)" % (os.path.basename(path), error))
    return found


def decode_pnm(data, name):
    """Binary PGM (P5) / PPM (P6), maxval 255 -> (width, height, channels, pixels)."""
    if data[:2] not in (b"P5", b"P6"):
        fail("%s: not a binary PGM/PPM (starts %r)" % (name, data[:8]))
    tokens, pos = [], 2
    while len(tokens) < 3:
        while pos < len(data) and data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            while pos < len(data) and data[pos : pos + 1] not in (b"\n", b"\r"):
                pos += 1
            continue
        start = pos
        while pos < len(data) and data[pos : pos + 1].isdigit():
            pos += 1
        if start == pos:
            fail("%s: malformed PNM header" % name)
        tokens.append(int(data[start:pos]))
    if pos >= len(data) or not data[pos : pos + 1].isspace():
        fail("%s: malformed PNM header" % name)
    width, height, maxval = tokens
    channels = 3 if data[:2] == b"P6" else 1
    if maxval != 255:
        fail("%s: maxval %d, expected 255" % (name, maxval))
    size = width * height * channels
    pixels = data[pos + 1 : pos + 1 + size]
    if len(pixels) != size:
        fail("%s: %d of %d pixel bytes" % (name, len(pixels), size))
    return width, height, channels, pixels


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def encode_png(width, height, channels, pixels):
    stride = width * channels
    rows = b"".join(b"\x00" + pixels[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if channels == 3 else 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


expected = []
with open(os.path.join(work, "pixels.sha256")) as manifest:
    for line in manifest:
        if line.strip():
            digest, width, height, channels, path = line.split()
            expected.append((path, digest, int(width), int(height), int(channels)))

archives = {folder: members(os.path.join(work, name)) for folder, name in ARCHIVE.items()}
failures = 0
for path, digest, width, height, channels in expected:
    folder, filename = path.split("/")
    stem = filename[: -len(".png")]
    tar = archives[folder]
    name = next((n for n in (stem + ".ppm.gz", stem + ".pgm.gz", stem + ".ppm", stem + ".pgm") if n in tar), None)
    if name is None:
        print("get-stare: %s: no %s.ppm.gz in %s" % (path, stem, ARCHIVE[folder]), file=sys.stderr)
        failures += 1
        continue
    data = tar[name]
    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            fail("%s/%s: bad gzip data (%s)" % (ARCHIVE[folder], name, error))
    w, h, c, pixels = decode_pnm(data, ARCHIVE[folder] + "/" + name)
    if c == 3 and channels == 1 and pixels[0::3] == pixels[1::3] == pixels[2::3]:
        c, pixels = 1, pixels[0::3]  # a label stored as gray RGB
    actual = hashlib.sha256(pixels).hexdigest()
    if (w, h, c, actual) != (width, height, channels, digest):
        print("get-stare: %s/%s: decoded content differs: %dx%d, %d channel(s), pixels sha256 %s; "
              "expected %dx%d, %d channel(s), %s" % (ARCHIVE[folder], name, w, h, c, actual,
                                                    width, height, channels, digest), file=sys.stderr)
        failures += 1
        continue
    os.makedirs(os.path.join(out, folder), exist_ok=True)
    with open(os.path.join(out, path), "wb") as png:
        png.write(encode_png(w, h, c, pixels))
if failures:
    fail("%d of %d files missing or different" % (failures, len(expected)))
print("get-stare: decoded content of all %d files matches" % len(expected), file=sys.stderr)
PY
    rm -rf -- "$work"
    cat >"$partial/SOURCE.txt" <<EOF
STARE vessel images and labels (Hoover, Kouznetsova, Goldbaum, IEEE TMI 19(3):203-210, 2000).
Downloaded $(date -u +%Y-%m-%dT%H:%M:%SZ) from ${STARE_BASE_URL%/}/{$(IFS=,; echo "${ARCHIVES[*]}")},
gunzipped and converted from PPM/PGM to PNG by scripts/get-stare.sh. Each PNG's decoded pixels
were checked against the SHA-256 sums in that script. Research use; cite the paper.
EOF
}

IDS=(im0001 im0002 im0003 im0004 im0005 im0044 im0077 im0081 im0082 im0139
    im0162 im0163 im0235 im0236 im0239 im0240 im0255 im0291 im0319 im0324)

# SHA-256 of each image's decoded pixel array (row-major, 8-bit, RGB or gray), width, height,
# channels, path in DEST. Computed from ../shared/datasets/stare.
PIXELS=$(
    cat <<'EOF'
d5860371f0b8fef49b578a4894112a953f16f7e753291256c35bff9c2543e7bc  700 605 3  images/im0001.png
8629cb7d62a563ca34c434b6c5c0e44a2c69023a7c1216f677dc8b5be2cc06d6  700 605 3  images/im0002.png
8090a8aa0f9a8fb12a1f36d7b5312059d00abffca085a89ec08b55779c8c7651  700 605 3  images/im0003.png
4d8b9d95c387f208a9e5b2021bae52e367bc4bd115954e4444839e32dfbc00f0  700 605 3  images/im0004.png
1a0b664d3d573e71d85b774664ac9f0f0edb01f47bba29f57d01c3088456fdbd  700 605 3  images/im0005.png
d9c1349739119e47aa656c4dc05f1d62698557c5e36309a92db0da82590400ec  700 605 3  images/im0044.png
42dbbd2eb821e134cb488c637fe08ec2884373675d1bee2b3cd00ad66a8ece89  700 605 3  images/im0077.png
70bd715a04abbc9d96131f2b3866d768d160fff03faeef5c302a95af57084909  700 605 3  images/im0081.png
5354ab869fd08d1a611f51d8a2c5c964cdb9e4c40d2a9d76f00eacb3efba9fee  700 605 3  images/im0082.png
abd1753b13e038690b704dd5dcf08f865dc7cd30e362cc14dba2caec365d6785  700 605 3  images/im0139.png
8ff41e668f87d1f97b524f1167a38ade311dd291c524c9e571b483eb39f2551f  700 605 3  images/im0162.png
da4a3a0cea966878c9619c487d8cf3963f7f921c07263b88049855a229a6016d  700 605 3  images/im0163.png
16983b8874ad45932de0de0b5b88d513c5d771176b10b39f9fe1b444cade7d4c  700 605 3  images/im0235.png
85e483f82721c5f88ba22e72beae692faffc5cfa4035a408ee3e8920d224bf36  700 605 3  images/im0236.png
89af1796c823b1ed4d9af9a2f15a6b39bf8b805d7540e51cfc43e9cc4bd3f2d0  700 605 3  images/im0239.png
8df2791c24828431cd282d73cab0e633ed50ecb3f00260b28acf3a1cf9b1e325  700 605 3  images/im0240.png
0c6c9395562e86815f84dc73ef349cbde7637c7cd389ee218e45e49f6d1985ff  700 605 3  images/im0255.png
8822bb050ca87b3bacd254959a8b8f79424b63d3711ceabef3e2acb2bd3463dd  700 605 3  images/im0291.png
0c2c50a38c8becd9f94f27654f90ae8418ef9c89a9fd9f1b868f1a9e79eb9ba3  700 605 3  images/im0319.png
f8a10721f47e4dc8a3a1f9f0123f12db059fbe399c75831786ecfc9c7a9b95ee  700 605 3  images/im0324.png
99b720c208a044422f4a73e1a3d79e167e4654f1a44d924d364c5df16b106223  700 605 1  labels-ah/im0001.ah.png
75880703604b8568f642bf30fabcdf71f08f9ca8b45f068747abb73569684c66  700 605 1  labels-ah/im0002.ah.png
b386e20d20b2ec47bc98afca1e612cc6cadcd06298df7fc11ab5fcefef434444  700 605 1  labels-ah/im0003.ah.png
f7df0ef0a9e8d0e7c495a256a629442b19096303dd1e34d87876c3276b45a79f  700 605 1  labels-ah/im0004.ah.png
87290c90300f4c39d6e56e064aa6c33f45ab3e0582df0d66559bf989bcca0e3d  700 605 1  labels-ah/im0005.ah.png
0cf7408072baa9e8e5b975c4b0ee4c84a20d4d4dd55869c99e127488a64f6952  700 605 1  labels-ah/im0044.ah.png
1a4f5f2ab4e92aec0b6a7c673fc5176d57dae64cb615d30bbf6c5c99c8cd3d99  700 605 1  labels-ah/im0077.ah.png
3265f84bc6c5724f400ad13548842cb8b6ccead62e15ca0f243d4f8c882fa7a1  700 605 1  labels-ah/im0081.ah.png
66100c3c750f9f24fb3e324c7a79b4c08f1f7f277faf455f3497de2de335d292  700 605 1  labels-ah/im0082.ah.png
8f4bfede8a05aff3d8796ab9bf9754e66a125a5d49eed2e34029693208989d03  700 605 1  labels-ah/im0139.ah.png
a8cb009188e2c401a15527abb988b8805719713eaf835d0d599939219b4ef4d7  700 605 1  labels-ah/im0162.ah.png
d933938ba9d4f413fef5ce0f6a43015b4c6e0ae54fc8fe88773c01cd902d0875  700 605 1  labels-ah/im0163.ah.png
ba110ad5b857ca7654438f47923ed15dd3e4948d80474cde91d089809fc10f70  700 605 1  labels-ah/im0235.ah.png
7549991a50de4e5657c9d83ca0442bb97309cb25bbecbf131e4fa9a63e14b3bd  700 605 1  labels-ah/im0236.ah.png
a93806e1cb8d04c36861cc011a01b6400c3d6b709ef2d794db2382c397e739ad  700 605 1  labels-ah/im0239.ah.png
95d1a69dc732d419bea614d1da3c5643633a8ebfcce7e635cfc200c06f579497  700 605 1  labels-ah/im0240.ah.png
002955bd13ac46bacf7b2cdb1d80eb58982022bb300de1bbf22f52f634757870  700 605 1  labels-ah/im0255.ah.png
09ca6023e77275c40b3b84695713563c8116beea2661a315bbe427814bf12ad3  700 605 1  labels-ah/im0291.ah.png
a92be47c65226004e75b142de85e86234104ce8f87d60c6fb3a9ab5959dadf2f  700 605 1  labels-ah/im0319.ah.png
33e5b4c6f7357e9e00a1200e00b9f0e6ce30ce38b8aae08d6f53b809965b168b  700 605 1  labels-ah/im0324.ah.png
3eca2bbf8733777e85312906a6f9c1d57e97095df745f179cbc175abd8aaeb5c  700 605 1  labels-vk/im0001.vk.png
ef0628bf2fac375ee2a25f2532b3c9314e7171f72899c8231ca3fe5b6fd351ce  700 605 1  labels-vk/im0002.vk.png
b6761e26260f9f6f6a62d3b1998225de011e89c21be0f37c5800eb6edf330e6c  700 605 1  labels-vk/im0003.vk.png
56fa5eb0e6485f80d0421ac7c039b7de6e45945399082d5f101a0428c796c016  700 605 1  labels-vk/im0004.vk.png
14b3ffb180ad386cabbc36d6e6230bc1cbacaecc17e1ce1276983a3ddd0b4d93  700 605 1  labels-vk/im0005.vk.png
ac23fc0fe57fa069465c94943a4bf7236839fc73a3d306410e8add194e57fa3c  700 605 1  labels-vk/im0044.vk.png
bd311088f62d7be53cee5061f4307ff13b8a8133ed3ede31c01b827411e2030a  700 605 1  labels-vk/im0077.vk.png
221fdfb70b0c207b10e2912afc873b1f871a2d9a1a31e8cb6bf91c6555936117  700 605 1  labels-vk/im0081.vk.png
ef219aa336cac3411a6211d35f982630ad568b5301a4a50dcff141b76fe0a04f  700 605 1  labels-vk/im0082.vk.png
8ff3e8ade3d9882be78a748be3fe59316275f3f6635305727735f66ffd695e69  700 605 1  labels-vk/im0139.vk.png
7f36e5d450932b7f6bef4a6ec842403121c9863d25cf5106b0277197c3ba4cb0  700 605 1  labels-vk/im0162.vk.png
50d72f8ef1e1976c9e5fad3c55523346ef5405766ab9db7f95cb2b32cd89967e  700 605 1  labels-vk/im0163.vk.png
c50e238aa3e2389ceedee822cfaf3b95fcaa6f63d6bdfc54fb66caeebe46ee58  700 605 1  labels-vk/im0235.vk.png
881916c3242eccb452b73a610851cd0bac2e48c93e30f36beb2b74e2b4c890eb  700 605 1  labels-vk/im0236.vk.png
a3ca1a183a8c5d12e5e25da017b0045884e5bc8462779bea2407216fe6db5779  700 605 1  labels-vk/im0239.vk.png
1be19a01d563c25b1128832b25dae2f284c6d4a23b286c88d0a0ba6269700dc8  700 605 1  labels-vk/im0240.vk.png
a870083a7087c2b43483f12b370d40ac31c39f2a69f3395de9562c3875fc2df5  700 605 1  labels-vk/im0255.vk.png
aa915dd0274a7987f0ab7faa7c4d689919e497088cc8a4e12c10f0da3cb761f7  700 605 1  labels-vk/im0291.vk.png
861d94b9383b2235dd9a897945153cf4adf5b082044fcf9879f5a2b700d26c86  700 605 1  labels-vk/im0319.vk.png
c212710ad678710df0f33367905679b1ca956ea3db24b3bd3cca099cc2785c02  700 605 1  labels-vk/im0324.vk.png
EOF
)

source_dir=
if [[ -n ${STARE_SOURCE:-} ]]; then
    [[ -d $STARE_SOURCE ]] || die "STARE_SOURCE=$STARE_SOURCE is not a directory"
    source_dir=$STARE_SOURCE
elif [[ -d $root/../shared/datasets/stare ]]; then
    source_dir=$(cd -- "$root/../shared/datasets/stare" && pwd)
fi

if [[ -n $source_dir ]]; then
    copy_local "$source_dir"
    how="copied from $source_dir, SHA-256 checked against its SHA256SUMS"
else
    say "no local copy (set STARE_SOURCE to use one); downloading from $STARE_BASE_URL"
    download
    how="downloaded from $STARE_BASE_URL, decoded content checked"
fi

mv -- "$partial" "$dest"
done_ok=1
say "$dest: $(find "$dest" -name '*.png' | wc -l | tr -d ' ') PNG files, $how"
