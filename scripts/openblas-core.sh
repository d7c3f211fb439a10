#!/usr/bin/env bash
# Prints the OpenBLAS core to name for this CPU, or nothing to let OpenBLAS decide.
# Debian's OpenBLAS 0.3.21 falls back to its SSE3 "Prescott" kernels on CPUs newer than it
# knows (AVX-512 Xeons among them), about 3.5x slower; naming the core by the CPU's own flags
# keeps it on the vector units the CPU has.
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
case " $flags " in
    *" avx512f "*) echo SkylakeX ;;
    *" avx2 "*) echo Haswell ;;
esac
