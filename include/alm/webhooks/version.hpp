// The SDK's version. The single source is the CMake project version; this header repeats it and
// a test checks that the two agree.
#pragma once

#define ALM_WEBHOOKS_VERSION_MAJOR 0
#define ALM_WEBHOOKS_VERSION_MINOR 1
#define ALM_WEBHOOKS_VERSION_PATCH 0
#define ALM_WEBHOOKS_VERSION_STRING "0.1.0"
