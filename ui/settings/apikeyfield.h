// An API key field: hidden text (with a button to show it) and a line saying where the key
// comes from: the system keychain, an environment variable, or nowhere yet.
#pragma once

#include "secretstore.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
QT_END_NAMESPACE

namespace Docpipe::Ui {

class ApiKeyField final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiKeyField)

public:
    // `name` is the SecretStore entry (SecretStore::OpenAiKey, ...).
    ApiKeyField(const QString &name, QWidget *parent = nullptr);

    QString name() const { return m_name; }
    void load(const QString &value);
    QString value() const;
    // True when the person changed the key since load().
    bool isEdited() const;
    // Asks `secrets` where the key comes from; takes the keychain's value unless already edited.
    void readSource(SecretStore *secrets);
    QString sourceText() const;
    QLineEdit *lineEdit() const { return m_edit; }

Q_SIGNALS:
    void changed();

private:
    void showSource(const SecretStore::ReadResult &result);

    QString m_name;
    QString m_loaded;
    QLineEdit *m_edit;
    QLabel *m_source;
};

} // namespace Docpipe::Ui
