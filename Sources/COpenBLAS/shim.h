// OpenBLAS's CBLAS interface (Debian: libopenblas-dev) plus its thread-control extensions.
#include <cblas.h>
