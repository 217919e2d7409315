// libzmq (Debian: libzmq3-dev), built with libsodium for CURVE.
#include <zmq.h>
