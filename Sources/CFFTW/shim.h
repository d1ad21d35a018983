// Single-precision FFTW 3 (Debian: libfftw3-dev).
#include <fftw3.h>
