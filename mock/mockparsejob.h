// One mock LlamaParse job, as both API front ends (mockparsejobs.cpp, mockparsejobsv2.cpp) see it.
#pragma once

#include "mockfaults.h"
#include "model/document.h"
#include "model/result.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFuture>
#include <QList>
#include <QString>

namespace Docpipe::Services {

struct MockParsedPage
{
    QString text;
    QString error; // not empty: the page failed
};

struct MockParseJob
{
    enum class State { Working, Succeeded, Failed, Cancelled };

    QString id;
    bool v2 = false;
    QString tier; // v2
    QString separator = QStringLiteral("\n---\n"); // v1
    MockFault fault = MockFault::None;
    QElapsedTimer age;
    QDateTime createdAt = QDateTime::currentDateTimeUtc();
    QDateTime updatedAt = createdAt;
    QFuture<Result<ParsedDocument>> parsing;
    State state = State::Working;
    QString errorMessage;
    QList<MockParsedPage> pages;

    bool partly() const
    {
        for (const MockParsedPage &page : pages) {
            if (!page.error.isEmpty())
                return true;
        }
        return false;
    }
};

} // namespace Docpipe::Services
