// OpenBLAS's CBLAS interface (Debian: libopenblas-dev, include path from openblas.pc).
#include <cblas.h>
