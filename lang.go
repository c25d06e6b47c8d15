package supportbot

// Languages are the BCP 47 tags supportbot supports, in the order they are
// offered to users. English is the fallback for everything.
var Languages = []string{"en", "zh-Hans", "zh-Hant", "ja", "ko", "ru", "es", "vi", "tr", "pt", "fr"}

// DefaultLang is used when nothing else tells a user's language.
const DefaultLang = "en"

// LanguageNames gives each supported language's name in that language, for
// language pickers.
var LanguageNames = map[string]string{
	"en":      "English",
	"zh-Hans": "简体中文",
	"zh-Hant": "繁體中文",
	"ja":      "日本語",
	"ko":      "한국어",
	"ru":      "Русский",
	"es":      "Español",
	"vi":      "Tiếng Việt",
	"tr":      "Türkçe",
	"pt":      "Português",
	"fr":      "Français",
}

// NormalizeLang maps a language tag as users and browsers write it
// ("zh-CN", "zh_TW", "pt-BR", "EN") to a supported tag, or "" when the
// language is not supported.
func NormalizeLang(tag string) string {
	if tag == "" {
		return ""
	}
	b := []byte(tag)
	for i, c := range b {
		if c == '_' {
			b[i] = '-'
		}
	}
	t := lower(string(b))
	switch t {
	case "zh-hans", "zh-cn", "zh-sg", "zh-hans-cn", "zh", "cn", "zh-my":
		return "zh-Hans"
	case "zh-hant", "zh-tw", "zh-hk", "zh-mo", "zh-hant-tw", "zh-hant-hk", "tw":
		return "zh-Hant"
	}
	primary := t
	for i := 0; i < len(t); i++ {
		if t[i] == '-' {
			primary = t[:i]
			break
		}
	}
	for _, l := range Languages {
		if l == primary {
			return l
		}
	}
	return ""
}

// IsLanguage reports whether tag is exactly one of Languages.
func IsLanguage(tag string) bool {
	for _, l := range Languages {
		if l == tag {
			return true
		}
	}
	return false
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
