#include "uploadreceiver.h"

#include "httpservice.h"
#include "metrics/processcounters.h"
#include "requestgate.h"
#include "services/multipartreader.h"
#include "store/documentstore.h"
#include "uploadname.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <memory>

namespace Docpipe::Server {

namespace {

constexpr qint64 kReadChunk = 64 * 1024;

struct SpooledFile
{
    QString name;
    QString path;
};

// One request's reading state; a child of its socket, so it goes when the connection does (and
// takes its spool folder with it).
class UploadRequest final : public QObject
{
public:
    UploadRequest(QTcpSocket *socket, const RequestHead &head, const QString &actor, const Config &config,
                  HttpService *service);
    bool begin(QString *problem, int *status);
    void readMore();

private:
    bool onPartBegin(const Services::FormPartHead &head);
    bool onPartData(QByteArrayView bytes);
    bool onPartEnd();
    void finish();
    void refuse(int status, const QString &code, const QString &message);

    QTcpSocket *m_socket;
    RequestHead m_head;
    QString m_actor;
    Config m_config;
    HttpService *m_service;
    std::unique_ptr<Services::MultipartReader> m_reader;
    std::unique_ptr<QTemporaryDir> m_spool;
    qint64 m_received = 0;
    bool m_done = false;

    // The part being read.
    enum class Field { None, File, Priority, Force } m_field = Field::None;
    std::unique_ptr<QFile> m_file;
    qint64 m_fileBytes = 0;
    QByteArray m_value; // a plain field's value (small)
    int m_refusedStatus = 400;
    QString m_refusedCode;

    QList<SpooledFile> m_files;
    int m_priority = 0;
    bool m_force = false;
};

UploadRequest::UploadRequest(QTcpSocket *socket, const RequestHead &head, const QString &actor, const Config &config,
                             HttpService *service)
    : QObject(socket)
    , m_socket(socket)
    , m_head(head)
    , m_actor(actor)
    , m_config(config)
    , m_service(service)
{ }

bool UploadRequest::begin(QString *problem, int *status)
{
    const qint64 maxBody = m_config.engine.maxDocumentBytes * UploadReceiver::kMaxFilesPerBody + 1024 * 1024;
    if (m_head.contentLength < 0) {
        *status = 411;
        *problem = QStringLiteral("send the form with a Content-Length");
        return false;
    }
    if (m_head.contentLength > maxBody) {
        *status = 413;
        *problem = QStringLiteral("the body is %1 bytes, over the limit of %2 (%3 files of at most %4 bytes)")
                       .arg(m_head.contentLength)
                       .arg(maxBody)
                       .arg(UploadReceiver::kMaxFilesPerBody)
                       .arg(m_config.engine.maxDocumentBytes);
        return false;
    }
    const QByteArray contentType = m_head.header("content-type");
    const QByteArray boundary = Services::MultipartReader::boundaryOf(contentType);
    if (!contentType.toLower().startsWith("multipart/form-data") || boundary.isEmpty()) {
        *status = 415;
        *problem = QStringLiteral("send the files as multipart/form-data (field 'file')");
        return false;
    }
    const QString uploadDir = m_config.effectiveUploadDir();
    if (!QDir().mkpath(uploadDir)) {
        *status = 500;
        *problem = QStringLiteral("cannot create the upload folder");
        return false;
    }
    m_spool = std::make_unique<QTemporaryDir>(QDir(uploadDir).filePath(QStringLiteral("upload-XXXXXX")));
    if (!m_spool->isValid()) {
        *status = 500;
        *problem = QStringLiteral("cannot create a folder in the upload folder: %1").arg(m_spool->errorString());
        return false;
    }
    m_reader = std::make_unique<Services::MultipartReader>(boundary);
    m_reader->onPartBegin = [this](const Services::FormPartHead &head) { return onPartBegin(head); };
    m_reader->onPartData = [this](QByteArrayView bytes) { return onPartData(bytes); };
    m_reader->onPartEnd = [this] { return onPartEnd(); };
    m_socket->read(m_head.headBytes); // the head was only peeked at
    connect(m_socket, &QTcpSocket::readyRead, this, &UploadRequest::readMore);
    return true;
}

bool UploadRequest::onPartBegin(const Services::FormPartHead &head)
{
    m_value.clear();
    if (head.name == "file") {
        const QString name = QString::fromUtf8(head.fileName);
        if (!head.hasFileName) {
            m_reader->fail(QStringLiteral("the 'file' field must be a file (with a filename)"));
            return false;
        }
        if (const QString problem = uploadNameProblem(name); !problem.isEmpty()) {
            m_reader->fail(QStringLiteral("refused file name '%1': %2").arg(name.toHtmlEscaped().left(100), problem));
            return false;
        }
        if (m_files.size() >= UploadReceiver::kMaxFilesPerBody) {
            m_refusedStatus = 413;
            m_reader->fail(QStringLiteral("at most %1 files per request").arg(UploadReceiver::kMaxFilesPerBody));
            return false;
        }
        // Each file in a folder of its own: two parts may carry the same name.
        const QString folder = m_spool->filePath(QString::number(m_files.size()));
        QDir().mkpath(folder);
        const QString path = QDir(folder).filePath(name);
        m_file = std::make_unique<QFile>(path);
        if (!m_file->open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            m_refusedStatus = 500;
            m_reader->fail(QStringLiteral("cannot write the upload: %1").arg(m_file->errorString()));
            return false;
        }
        m_files.append({name, path});
        m_fileBytes = 0;
        m_field = Field::File;
        return true;
    }
    if (head.name == "priority") {
        m_field = Field::Priority;
        return true;
    }
    if (head.name == "force") {
        m_field = Field::Force;
        return true;
    }
    m_reader->fail(QStringLiteral("unknown form field '%1' (expected file, priority, force)")
                       .arg(QString::fromUtf8(head.name).left(100)));
    return false;
}

bool UploadRequest::onPartData(QByteArrayView bytes)
{
    if (m_field != Field::File) {
        m_value.append(bytes);
        if (m_value.size() > 64) {
            m_reader->fail(QStringLiteral("a form field's value is too long"));
            return false;
        }
        return true;
    }
    m_fileBytes += bytes.size();
    if (m_fileBytes > m_config.engine.maxDocumentBytes) {
        m_refusedStatus = 413;
        m_reader->fail(QStringLiteral("'%1' is over the limit of %2 bytes per document")
                           .arg(m_files.last().name)
                           .arg(m_config.engine.maxDocumentBytes));
        return false;
    }
    if (m_file->write(bytes.data(), bytes.size()) != bytes.size()) {
        m_refusedStatus = 507;
        m_reader->fail(QStringLiteral("cannot write the upload: %1").arg(m_file->errorString()));
        return false;
    }
    return true;
}

bool UploadRequest::onPartEnd()
{
    const QString value = QString::fromUtf8(m_value).trimmed();
    switch (m_field) {
    case Field::File:
        if (!m_file->flush()) {
            m_reader->fail(QStringLiteral("cannot write the upload: %1").arg(m_file->errorString()));
            return false;
        }
        m_file->close();
        break;
    case Field::Priority: {
        bool ok = false;
        m_priority = value.toInt(&ok);
        if (!ok || m_priority < -1000 || m_priority > 1000) {
            m_reader->fail(QStringLiteral("priority must be an integer from -1000 to 1000 (is '%1')").arg(value));
            return false;
        }
        break;
    }
    case Field::Force:
        if (value == QLatin1String("true") || value == QLatin1String("1"))
            m_force = true;
        else if (value == QLatin1String("false") || value == QLatin1String("0"))
            m_force = false;
        else {
            m_reader->fail(QStringLiteral("force must be true or false (is '%1')").arg(value));
            return false;
        }
        break;
    case Field::None:
        break;
    }
    m_field = Field::None;
    return true;
}

void UploadRequest::readMore()
{
    while (!m_done && m_socket->bytesAvailable() > 0) {
        const qint64 wanted = qMin(kReadChunk, m_head.contentLength - m_received);
        const QByteArray bytes = m_socket->read(wanted);
        if (bytes.isEmpty())
            break;
        m_received += bytes.size();
        if (!m_reader->feed(bytes)) {
            refuse(m_refusedStatus, m_refusedStatus == 413 ? QStringLiteral("too_large") : QStringLiteral("bad_form"),
                   m_reader->error());
            return;
        }
        if (m_received >= m_head.contentLength) {
            finish();
            return;
        }
    }
}

void UploadRequest::refuse(int status, const QString &code, const QString &message)
{
    m_done = true;
    disconnect(m_socket, &QTcpSocket::readyRead, this, nullptr);
    m_file.reset();
    Metrics::count(Metrics::Counter::HttpRequests,
                   {{QStringLiteral("route"), QStringLiteral("/v1/documents")},
                    {QStringLiteral("code"), QString::number(status)}});
    answerErrorAndClose(m_socket, status, code, message);
}

void UploadRequest::finish()
{
    if (!m_reader->isFinished()) {
        refuse(400, QStringLiteral("bad_form"), QStringLiteral("the form ended without its closing boundary"));
        return;
    }
    if (m_files.isEmpty()) {
        refuse(400, QStringLiteral("bad_form"), QStringLiteral("the form has no 'file' field"));
        return;
    }
    m_done = true;
    disconnect(m_socket, &QTcpSocket::readyRead, this, nullptr);
    const Store::Database db(m_config.effectiveDatabaseUrl());
    QJsonArray jobs;
    bool created = false;
    for (const SpooledFile &file : std::as_const(m_files)) {
        Store::IngestOptions options;
        options.force = m_force;
        options.priority = m_priority;
        options.maxBytes = m_config.engine.maxDocumentBytes;
        options.identity = QStringLiteral("api:") + file.name; // a name's later uploads are its versions
        options.actor = m_actor;
        auto result = Store::ingestFile(db, file.path, options);
        if (!result) {
            // The files before this one are recorded; say which.
            refuse(503, QStringLiteral("database_unavailable"),
                   QStringLiteral("recording '%1' failed (%2 earlier file(s) recorded): %3")
                       .arg(file.name)
                       .arg(jobs.size())
                       .arg(result.error().message));
            return;
        }
        created = created || !result.value().duplicate;
        jobs.append(QJsonObject{{QStringLiteral("id"), result.value().jobId},
                                {QStringLiteral("document"), file.name},
                                {QStringLiteral("duplicate"), result.value().duplicate}});
    }
    m_spool.reset(); // the database holds the bytes now
    const int status = created ? 201 : 200;
    Metrics::count(Metrics::Counter::HttpRequests,
                   {{QStringLiteral("route"), QStringLiteral("/v1/documents")},
                    {QStringLiteral("code"), QString::number(status)}});
    answerAndClose(m_socket, status, "application/json",
                   QJsonDocument(QJsonObject{{QStringLiteral("jobs"), jobs}}).toJson(QJsonDocument::Compact));
    if (created)
        Q_EMIT m_service->workArrived();
}

} // namespace

UploadReceiver::UploadReceiver(HttpService *service)
    : m_service(service)
{ }

void UploadReceiver::accept(QTcpSocket *socket, const RequestHead &head)
{
    const std::optional<QString> label = m_service->authorizeHeader(head.header("authorization"), false);
    if (!label) {
        Metrics::count(Metrics::Counter::HttpRequests,
                       {{QStringLiteral("route"), QStringLiteral("/v1/documents")},
                        {QStringLiteral("code"), QStringLiteral("401")}});
        answerErrorAndClose(socket, 401, QStringLiteral("unauthorized"),
                            QStringLiteral("a valid bearer token is needed (Authorization: Bearer ...)"));
        return;
    }
    const QString actor = QStringLiteral("api:%1@%2").arg(*label, head.peer.toString());
    auto *request = new UploadRequest(socket, head, actor, m_service->options().config, m_service);
    QString problem;
    int status = 400;
    if (!request->begin(&problem, &status)) {
        delete request;
        answerErrorAndClose(socket, status,
                            status == 413       ? QStringLiteral("too_large")
                                : status == 415 ? QStringLiteral("unsupported_media_type")
                                : status == 411 ? QStringLiteral("length_required")
                                                : QStringLiteral("server_error"),
                            problem);
        return;
    }
    request->readMore(); // bytes that came with the head
}

} // namespace Docpipe::Server
