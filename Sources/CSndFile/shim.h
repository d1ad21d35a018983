// libsndfile (Debian: libsndfile1-dev): WAV, FLAC, OGG/Vorbis, Opus, MP3 and more.
#include <sndfile.h>
