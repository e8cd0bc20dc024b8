// The committed cl100k_base reference counts (tests/data/cl100k/reference.tsv, made by
// tests/support/tools/make-cl100k-reference.mjs with js-tiktoken), for the token tests.
#pragma once

#include <QList>
#include <QString>

namespace Docpipe::Test {

struct Cl100kReferenceRow
{
    QString category;
    int tokens = 0;
    QString text;
};

// DOCPIPE_CL100K_REFERENCE in the environment swaps in a bigger, uncommitted table (same format).
QList<Cl100kReferenceRow> readCl100kReference();

} // namespace Docpipe::Test
