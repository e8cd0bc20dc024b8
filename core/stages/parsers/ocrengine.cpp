// Tesseract behind recognizeImage(); see ocrengine.h.
#include "ocrengine.h"

#include "logging.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>

#include <QStringList>

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace Docpipe::Stages {

namespace {

StageError cancelled()
{
    return StageError::permanent(QStringLiteral("cancelled"), QStringLiteral("parsing was cancelled"));
}

// ocrPageBytes(): beside the page image, reading a page holds about this much per pixel (poppler's
// own bitmap behind the QImage it returns, the greyscale and straightened copies, Tesseract's
// thresholded and line images) and a little more (Tesseract's layout and text). Measured with
// bench_ocr (peak resident memory above a process with its Tesseract loaded, A4 scans rendered
// from a PDF, each in a fresh process): 75.2 MB at 300 dpi (8.7 Mpixels), 133.3 MB at 400, 33.7 MB
// at 200, i.e. 8.6 bytes a pixel with the 4 of the render; this reserves 76.7, 134.8 and 35.2 MB.
// An image file's page has no poppler bitmap, so the same rate leaves it some room.
constexpr double kOcrReadBytesPerPixel = 5.0;
constexpr qint64 kOcrBaseBytes = 2 * 1024 * 1024;

// Debian's Tesseract runs parts of its LSTM on an OpenMP team of 4 threads per call: two parse
// threads then keep many more cores busy than the stage's concurrency allows, and a page took
// 8-14 s instead of 1.5-3 s on a loaded 2-core machine. An OpenMP limit of 0 active levels makes every
// team one thread; it is a per-thread setting, so each worker thread sets it for itself. Looked
// up at run time: libgomp comes with libtesseract, and no OpenMP header is needed to build.
void keepOcrOnThisThread()
{
    using SetMaxActiveLevels = void (*)(int);
    if (auto set = reinterpret_cast<SetMaxActiveLevels>(dlsym(RTLD_DEFAULT, "omp_set_max_active_levels")))
        set(0);
}

// The codes of `languages` ("eng+deu") that `api` did not load: Tesseract 5 goes on with the
// languages it found and only says so on stderr.
QStringList missingLanguages(const QString &languages, const tesseract::TessBaseAPI *api)
{
    std::vector<std::string> loaded;
    if (api)
        api->GetLoadedLanguagesAsVector(&loaded);
    QStringList missing;
    for (const QString &language : languages.split(u'+', Qt::SkipEmptyParts)) {
        if (std::find(loaded.cbegin(), loaded.cend(), language.toStdString()) == loaded.cend())
            missing << language;
    }
    return missing;
}

StageError languageError(const QStringList &missing, const QString &languages)
{
    QStringList packages;
    for (const QString &language : missing)
        packages << QStringLiteral("tesseract-ocr-") + language.toLower().replace(u'_', u'-');
    return StageError::permanent(
        QStringLiteral("ocr_language"),
        QStringLiteral("OCR cannot run: Tesseract has no language data for %1 (ocr/languages is '%2'); "
                       "install %3 or change ocr/languages")
            .arg(missing.join(QStringLiteral(", ")), languages, packages.join(QStringLiteral(", "))));
}

// Leptonica prints what it cannot read on stderr; here it reaches the job as an error instead.
void quietLeptonica()
{
    static std::once_flag once;
    std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

// Tesseract instances are lent out, one per page being read, and given back after it: as many
// exist as pages were ever read at once (the parse stage's concurrency), not one per pool thread
// that ever read a page. Each holds about 20 MB, and the engine's pool has more threads than parse
// slots: a run over Debian's documentation had made five. An instance is used by one thread at a
// time, and loading one costs ~100 ms, so idle ones are kept.
class EngineShelf
{
public:
    std::unique_ptr<tesseract::TessBaseAPI> take(const QString &languages)
    {
        const std::lock_guard lock(m_mutex);
        if (languages != m_languages) { // ocr/languages changed: the idle ones read the old ones
            m_idle.clear();
            m_languages = languages;
        }
        if (m_idle.empty())
            return nullptr;
        auto api = std::move(m_idle.back());
        m_idle.pop_back();
        return api;
    }
    void giveBack(std::unique_ptr<tesseract::TessBaseAPI> api, const QString &languages)
    {
        const std::lock_guard lock(m_mutex);
        if (languages == m_languages)
            m_idle.push_back(std::move(api));
    }
    void clear()
    {
        const std::lock_guard lock(m_mutex);
        m_idle.clear();
    }

private:
    std::mutex m_mutex;
    QString m_languages;
    std::vector<std::unique_ptr<tesseract::TessBaseAPI>> m_idle;
};

EngineShelf &shelf()
{
    static EngineShelf instance;
    return instance;
}

// A Tesseract lent to this thread until the lease goes.
class EngineLease
{
public:
    EngineLease(std::unique_ptr<tesseract::TessBaseAPI> api, QString languages)
        : m_api(std::move(api))
        , m_languages(std::move(languages))
    {
    }
    EngineLease(EngineLease &&) = default;
    EngineLease &operator=(EngineLease &&) = delete;
    EngineLease(const EngineLease &) = delete;
    EngineLease &operator=(const EngineLease &) = delete;
    ~EngineLease()
    {
        if (m_api)
            shelf().giveBack(std::move(m_api), m_languages);
    }
    tesseract::TessBaseAPI &operator*() const { return *m_api; }

private:
    std::unique_ptr<tesseract::TessBaseAPI> m_api;
    QString m_languages;
};

std::atomic<int> g_enginesMade{0};

// A Tesseract initialised for `languages`, lent to this thread.
Result<EngineLease> engineFor(const QString &languages)
{
    thread_local const bool singleThreaded = (keepOcrOnThisThread(), true); // once per thread that reads
    Q_UNUSED(singleThreaded);
    if (auto api = shelf().take(languages))
        return EngineLease(std::move(api), languages);
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    ++g_enginesMade;
    const bool initialised = api->Init(nullptr, languages.toUtf8().constData(), tesseract::OEM_LSTM_ONLY) == 0;
    if (const QStringList missing = missingLanguages(languages, initialised ? api.get() : nullptr); !missing.isEmpty())
        return languageError(missing, languages);
    api->SetPageSegMode(tesseract::PSM_AUTO);
    qCDebug(lcStages) << "Tesseract" << tesseract::TessBaseAPI::Version() << "ready for" << languages;
    // The idle instances go at exit before Tesseract's own caches, which were made by this first
    // Init, after the shelf, and so would otherwise be destroyed first (and warn of leaks).
    static std::once_flag atExit;
    std::call_once(atExit, [] { std::atexit([] { shelf().clear(); }); });
    return EngineLease(std::move(api), languages);
}

bool cancelRequested(void *context, int)
{
    return static_cast<const StageContext *>(context)->cancelled();
}

// An 8-bit greyscale Pix of `image` (Leptonica keeps each 32-bit word's bytes in big-endian order).
Pix *greyPix(const QImage &image)
{
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    Pix *pix = pixCreateNoInit(grey.width(), grey.height(), 8);
    if (!pix)
        return nullptr;
    auto *data = reinterpret_cast<uchar *>(pixGetData(pix));
    const qsizetype stride = qsizetype(pixGetWpl(pix)) * 4;
    for (int y = 0; y < grey.height(); ++y)
        std::memcpy(data + y * stride, grey.constScanLine(y), size_t(grey.width()));
    pixEndianByteSwap(pix);
    return pix;
}

// Reads `pix` (straightened first: a scan a couple of degrees askew lets a line drift into the
// next, and Tesseract then loses half the words), stopping when the job is cancelled.
Result<OcrText> recognize(tesseract::TessBaseAPI &api, Pix *pix, int dpi, const StageContext &context)
{
    Pix *straight = pixDeskew(pix, 0);
    api.SetImage(straight ? straight : pix);
    if (dpi > 0)
        api.SetSourceResolution(dpi);
    tesseract::ETEXT_DESC monitor;
    monitor.cancel = cancelRequested;
    monitor.cancel_this = const_cast<StageContext *>(&context);
    const int failed = api.Recognize(&monitor);
    OcrText result;
    if (failed == 0 && !context.cancelled()) {
        const std::unique_ptr<char[]> text(api.GetUTF8Text());
        result.text = QString::fromUtf8(text.get());
        result.meanConfidence = std::max(0, api.MeanTextConf());
    }
    api.Clear();
    if (straight)
        pixDestroy(&straight);
    if (context.cancelled())
        return cancelled();
    return result;
}

} // namespace

int visibleCharacters(const QString &text)
{
    int count = 0;
    for (const QChar c : text) {
        if (!c.isSpace())
            ++count;
    }
    return count;
}

int ocrEnginesMade()
{
    return g_enginesMade.load();
}

Result<QString> checkOcr(const OcrConfig &config)
{
    auto api = engineFor(config.languages);
    if (!api)
        return api.error();
    return QStringLiteral("Tesseract %1, languages %2")
        .arg(QString::fromLatin1(tesseract::TessBaseAPI::Version()), config.languages);
}

Result<OcrText> recognizeImage(const QImage &image, int dpi, const OcrConfig &config, const StageContext &context)
{
    quietLeptonica();
    auto api = engineFor(config.languages);
    if (!api)
        return api.error();
    Pix *pix = greyPix(image);
    if (!pix)
        return StageError::permanent(QStringLiteral("corrupt_image"), QStringLiteral("the page could not be rendered"));
    auto result = recognize(*api.value(), pix, dpi, context);
    pixDestroy(&pix);
    return result;
}

namespace {

// An image file's page: its header first (a huge page is refused, and its memory reserved, before
// it is decoded), then its pixels.
struct ImageFile
{
    const l_uint8 *data;
    size_t size;
    bool tiff = false;

    StageError corrupt() const
    {
        return StageError::permanent(QStringLiteral("corrupt_image"),
                                     QStringLiteral("the image is damaged and cannot be read"));
    }
    // Width, height and bits per pixel of page `index`; false when it cannot be read.
    bool header(int index, l_int32 *width, l_int32 *height, l_int32 *depth) const
    {
        l_int32 format = 0, bits = 0, samples = 0, colormap = 0, resolution = 0;
        const bool read = tiff
            ? readHeaderMemTiff(data, size, index, width, height, &bits, &samples, &resolution, &colormap, &format) == 0
            : pixReadHeaderMem(data, size, &format, width, height, &bits, &samples, &colormap) == 0;
        // Leptonica decodes colour (3 samples) to 32 bits a pixel, a palette to its index depth.
        *depth = samples >= 3 ? 32 : bits * samples;
        return read && *width > 0 && *height > 0;
    }
    Pix *decode(int index) const { return tiff ? pixReadMemTiff(data, size, index) : pixReadMem(data, size); }
};

ImageFile imageFile(const QByteArray &bytes)
{
    ImageFile file{reinterpret_cast<const l_uint8 *>(bytes.constData()), size_t(bytes.size())};
    l_int32 format = 0;
    // findFileFormatBuffer reads the first 12 bytes, however short the file.
    file.tiff = file.size >= 12 && findFileFormatBuffer(file.data, &format) == 0 && L_FORMAT_IS_TIFF(format);
    return file;
}

} // namespace

qint64 ocrPageBytes(qint64 pixels, double imageBytesPerPixel)
{
    return qint64(double(pixels) * (imageBytesPerPixel + kOcrReadBytesPerPixel)) + kOcrBaseBytes;
}

Result<MemoryHold> holdOcrMemory(qint64 pixels, double imageBytesPerPixel, const StageContext &context)
{
    auto hold = context.holdMemory(ocrPageBytes(pixels, imageBytesPerPixel));
    if (!hold)
        return cancelled();
    return std::move(*hold);
}

Result<int> imageFilePageCount(const QByteArray &bytes)
{
    quietLeptonica();
    const ImageFile file = imageFile(bytes);
    if (!file.tiff) {
        l_int32 width = 0, height = 0, depth = 0;
        if (!file.header(0, &width, &height, &depth))
            return file.corrupt();
        return 1;
    }
    FILE *stream = fopenReadFromMemory(file.data, file.size);
    l_int32 count = 0;
    const bool counted = stream && tiffGetCount(stream, &count) == 0 && count > 0;
    if (stream)
        fclose(stream);
    if (!counted)
        return file.corrupt();
    return count;
}

Result<OcrText> recognizeImageFilePage(const QByteArray &bytes, int index, const OcrConfig &config,
                                       const StageContext &context)
{
    quietLeptonica();
    const ImageFile file = imageFile(bytes);
    l_int32 width = 0, height = 0, depth = 0;
    if (!file.header(index, &width, &height, &depth))
        return file.corrupt();
    const qint64 pixels = qint64(width) * height;
    if (pixels > kMaxOcrPixels) {
        return StageError::permanent(QStringLiteral("image_too_large"),
                                     QStringLiteral("the image has %1 x %2 pixels, more than OCR reads (%3 million)")
                                         .arg(width)
                                         .arg(height)
                                         .arg(kMaxOcrPixels / 1'000'000));
    }
    auto api = engineFor(config.languages);
    if (!api)
        return api.error();
    const auto hold = holdOcrMemory(pixels, std::max(1, depth) / 8.0, context);
    if (!hold)
        return hold.error();
    Pix *pix = file.decode(index);
    if (!pix)
        return file.corrupt();
    // A file without a resolution would make Tesseract guess; scans are mostly 200-300 dpi.
    auto result = recognize(*api.value(), pix, pixGetXRes(pix) > 0 ? 0 : config.dpi, context);
    pixDestroy(&pix);
    return result;
}

} // namespace Docpipe::Stages
