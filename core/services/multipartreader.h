// Reads a multipart/form-data body (RFC 7578) as it arrives, in pieces of any size: each part's
// head, then its bytes as they come, so a file of any size passes through without being held.
// Qt has none (QHttpMultiPart only writes). The API's upload receiver streams files to disk with
// it; the mock server reads LlamaParse uploads with it.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>

namespace Docpipe::Services {

struct FormPartHead
{
    QByteArray name; // the form field
    QByteArray fileName; // empty for a plain field (filename="" is kept as given: hasFileName)
    bool hasFileName = false;
    QByteArray contentType;
};

class MultipartReader final
{
public:
    // The boundary of a "multipart/form-data; boundary=..." Content-Type; empty if it has none.
    static QByteArray boundaryOf(const QByteArray &contentType);

    explicit MultipartReader(const QByteArray &boundary, qsizetype maxPartHeadBytes = 16 * 1024);

    // Each returns false to stop reading (the reader then fails with the reason given to fail()).
    std::function<bool(const FormPartHead &)> onPartBegin;
    std::function<bool(QByteArrayView)> onPartData;
    std::function<bool()> onPartEnd;

    // False once the body is malformed or a callback stopped it; error() says why.
    bool feed(QByteArrayView bytes);
    // Every part ended with the closing delimiter.
    bool isFinished() const { return m_state == State::Done; }
    QString error() const { return m_error; }
    void fail(const QString &reason);

private:
    enum class State { Preamble, AfterDelimiter, PartHead, PartBody, Done, Failed };
    bool step();

    QByteArray m_delimiter; // "\r\n--boundary"
    qsizetype m_maxHeadBytes;
    QByteArray m_buffer;
    State m_state = State::Preamble;
    QString m_error;
};

} // namespace Docpipe::Services
