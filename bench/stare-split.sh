# Sourced by the STARE benchmarks: builds loupe (LOUPE) and splits the dataset at $STARE the way
# bench/stare.sh describes: the first six sorted ids train (TRAIN), the other 14 are scored (TEST).
mkdir -p "$OUT"
swift build -c release --product loupe >/dev/null
LOUPE=.build/release/loupe
IDS=$(ls "$STARE/images" | sed 's/\..*$//' | sort)
TRAIN=$(echo "$IDS" | head -n 6 | paste -sd, -)
TEST=$(echo "$IDS" | tail -n +7 | paste -sd, -)
