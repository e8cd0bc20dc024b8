// POST /v1/documents: a multipart/form-data body read from the socket as it arrives and written
// file by file into a folder of its own under the upload folder (never whole in memory), then
// recorded as jobs exactly as a dropped file is (Store::ingestFile), and the spooled files removed
// (the database holds the bytes). Form fields: `file` (repeatable), `priority` (integer), `force`
// (true/false: a new job even for a duplicate). Each file is at most engine/max_document_bytes,
// like a dropped one; the whole body at most 16 of them. A client that stops half-way leaves
// nothing behind.
#pragma once

#include <QString>

class QTcpSocket;

namespace Docpipe::Server {

class HttpService;
struct RequestHead;

class UploadReceiver final
{
public:
    explicit UploadReceiver(HttpService *service);
    Q_DISABLE_COPY_MOVE(UploadReceiver)

    // The gate's stream route: takes over the socket (head still in its buffer).
    void accept(QTcpSocket *socket, const RequestHead &head);

    static constexpr int kMaxFilesPerBody = 16;

private:
    HttpService *m_service;
};

} // namespace Docpipe::Server
