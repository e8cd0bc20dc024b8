// The /v1 JSON API (described by /v1/openapi.json): status, jobs with their events and chunks,
// and the operator's actions (retry, re-run, cancel, retry all failed, pause, resume) as the same
// store writes the window and docpipe-cli make, each event naming "api:<token label>@<client>".
// POST /v1/documents is the upload receiver's (it streams); the rest are small JSON requests.
#pragma once

class QHttpServer;

namespace Docpipe::Server {

class HttpService;

class ApiRoutes final
{
public:
    static void add(HttpService *service, QHttpServer *http);
};

} // namespace Docpipe::Server
