// alm-webhooks: receive Adobe Learning Manager webhooks in C++. The one header to include.
#pragma once

#include "alm/webhooks/version.hpp"
#include "alm/webhooks/error.hpp"
#include "alm/webhooks/result.hpp"
#include "alm/webhooks/time.hpp"
#include "alm/webhooks/enums.hpp"
#include "alm/webhooks/id.hpp"
#include "alm/webhooks/raw_json.hpp"
#include "alm/webhooks/array_view.hpp"
#include "alm/webhooks/asyncapi_events.hpp"
#include "alm/webhooks/batch_events.hpp"
#include "alm/webhooks/event.hpp"
#include "alm/webhooks/parser.hpp"
#include "alm/webhooks/json_writer.hpp"
#include "alm/webhooks/format.hpp"
#include "alm/webhooks/http.hpp"
