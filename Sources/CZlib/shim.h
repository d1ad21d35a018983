// zlib (Debian: zlib1g-dev): deflate for PNG pictures.
#include <zlib.h>
