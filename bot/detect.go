package bot

import (
	"context"
	"strings"
	"sync"
	"unicode"

	"github.com/pemistahl/lingua-go"

	"github.com/supportbot/supportbot"
)

// Detector tells the language of a text.
type Detector interface {
	// Detect returns a supported language tag and a confidence in [0, 1];
	// "" when it cannot tell.
	Detect(ctx context.Context, text string) (lang string, confidence float64)
}

// ScriptDetector detects the 11 supported languages. Scripts decide where
// they can, because they are certain and free: Hangul is Korean, kana is
// Japanese, Han alone is Chinese (simplified or traditional by the
// characters used), Cyrillic is Russian. Latin-script text goes to
// lingua-go restricted to the Latin-script languages we support (en, es,
// pt, fr, tr, vi), which is accurate on short texts and does not confuse
// Spanish with Galician or Portuguese with Catalan, because those are not
// candidates.
type ScriptDetector struct {
	once  sync.Once
	latin lingua.LanguageDetector
}

// NewDetector returns the default Detector. lingua's models load on first
// use, not here.
func NewDetector() *ScriptDetector { return &ScriptDetector{} }

var linguaTags = map[lingua.Language]string{
	lingua.English: "en", lingua.Spanish: "es", lingua.Portuguese: "pt",
	lingua.French: "fr", lingua.Turkish: "tr", lingua.Vietnamese: "vi",
}

// Detect implements Detector.
func (d *ScriptDetector) Detect(_ context.Context, text string) (string, float64) {
	var hangul, kana, han, cyr, latin, simp, trad int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
			if strings.ContainsRune(simplifiedOnly, r) {
				simp++
			} else if strings.ContainsRune(traditionalOnly, r) {
				trad++
			}
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.IsLetter(r) && r < 0x250 || r >= 0x1E00 && r <= 0x1EFF:
			latin++
		}
	}
	total := hangul + kana + han + cyr + latin
	if total == 0 {
		return "", 0
	}
	switch {
	case hangul > 0 && hangul >= kana && hangul*3 >= total:
		return "ko", 0.99
	case kana > 0 && (kana+han)*2 >= total:
		return "ja", 0.99
	case han > 0 && han*2 >= total:
		switch {
		case trad > simp:
			return "zh-Hant", 0.95
		case simp > trad:
			return "zh-Hans", 0.95
		}
		return "zh-Hans", 0.6 // characters common to both: most users write simplified
	case cyr > 0 && cyr*2 >= total:
		return "ru", 0.97
	}
	return d.detectLatin(text)
}

// Warm loads the language models now rather than at the first
// Latin-script message, for a server that is starting. It is safe to call
// while Detect runs.
func (d *ScriptDetector) Warm() { d.detectLatin("warm up the models") }

func (d *ScriptDetector) detectLatin(text string) (string, float64) {
	d.once.Do(func() {
		langs := make([]lingua.Language, 0, len(linguaTags))
		for l := range linguaTags {
			langs = append(langs, l)
		}
		d.latin = lingua.NewLanguageDetectorBuilder().FromLanguages(langs...).Build()
	})
	// A word of two or three letters ("ok", "hi", "no") says nothing
	// about its language; lingua still ranks one first ("hi" is
	// Vietnamese, "ok" Turkish at 0.68). Four or five letters say little.
	n := 0
	for _, r := range text {
		if unicode.IsLetter(r) {
			n++
		}
	}
	if n < 4 {
		return "", 0
	}
	vals := d.latin.ComputeLanguageConfidenceValues(text)
	if len(vals) == 0 {
		return "", 0
	}
	conf := vals[0].Value()
	if n < 6 {
		conf /= 2
	}
	return linguaTags[vals[0].Language()], conf
}

// Characters that differ between simplified and traditional Chinese, the
// most frequent in support questions. A handful is enough: one distinctive
// character settles it for most messages.
const simplifiedOnly = "谢见么们这个为么说时会过还后发现问题对没号账户码请认证币钱转帐绑验锁冻结该订单价费资额报网络联系记录设置开关闭么吗贷涨仓强实钟换删图册务员买卖读读处应数据续历"
const traditionalOnly = "謝見麼們這個為麼說時會過還後發現問題對沒號賬戶碼請認證幣錢轉帳綁驗鎖凍結該訂單價費資額報網絡聯繫記錄設置開關閉嗎貸漲倉強實鐘換刪圖冊務員買賣讀處應數據續歷"

var _ Detector = (*ScriptDetector)(nil)

// chooseLang decides the reply language: an explicit choice wins, then a
// confident detection, then the conversation's language, then the
// channel's hint, then a detection that is at least a guess
// (minGuessConfidence), then the default.
func chooseLang(explicit, detected string, conf float64, conversation, hint string) string {
	if l := supportbot.NormalizeLang(explicit); l != "" {
		return l
	}
	if detected != "" && conf >= 0.5 {
		return detected
	}
	if conversation != "" {
		return conversation
	}
	if l := supportbot.NormalizeLang(hint); l != "" {
		return l
	}
	if detected != "" && conf >= minGuessConfidence {
		return detected
	}
	return supportbot.DefaultLang
}

// minGuessConfidence is the least detection confidence that beats the
// default language when nothing else tells: a single word shared by
// languages is below it ("agent" scores French at 0.15, "human" Spanish
// at 0.13, and were answered in those languages), a short phrase in one
// language above it ("dépôt" 0.44, "saque" 0.23 is a word two languages
// share).
const minGuessConfidence = 0.25
