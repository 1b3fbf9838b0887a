package api

import (
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/vi"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	en_translations "github.com/go-playground/validator/v10/translations/en"
	vi_translations "github.com/go-playground/validator/v10/translations/vi"

	"communehr/internal/msg"
)

// validation holds one validator with its English and Vietnamese translations (validator v10 ships both).
var validation = sync.OnceValue(func() *validatorSet {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
		if name == "-" {
			return ""
		}
		return name
	})
	enLoc, viLoc := en.New(), vi.New()
	uni := ut.New(enLoc, enLoc, viLoc)
	tEN, _ := uni.GetTranslator("en")
	tVI, _ := uni.GetTranslator("vi")
	if err := en_translations.RegisterDefaultTranslations(v, tEN); err != nil {
		panic(err)
	}
	if err := vi_translations.RegisterDefaultTranslations(v, tVI); err != nil {
		panic(err)
	}
	// The library's "oneof" texts print Go's list syntax ("[thon to_dan_pho]") and its Vietnamese one
	// reads "phải là trong những giá trị": both are replaced by a plain list of the allowed values.
	for _, t := range []struct {
		tr  ut.Translator
		txt string
	}{{tEN, "{0} must be one of: {1}"}, {tVI, "{0} phải là một trong các giá trị: {1}"}} {
		if err := v.RegisterTranslation("oneof", t.tr,
			func(u ut.Translator) error { return u.Add("oneof", t.txt, true) },
			func(u ut.Translator, fe validator.FieldError) string {
				msg, _ := u.T("oneof", fe.Field(), strings.Join(strings.Fields(fe.Param()), ", "))
				return msg
			}); err != nil {
			panic(err)
		}
	}
	return &validatorSet{v: v, en: tEN, vi: tVI}
})

type validatorSet struct {
	v      *validator.Validate
	en, vi ut.Translator
}

// validateStruct runs the `validate:` tags of dst and returns an *Error with one pointer per failure.
func validateStruct(dst any) error {
	vs := validation()
	err := vs.v.Struct(dst)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		var inv *validator.InvalidValidationError
		if errors.As(err, &inv) {
			return nil // not a struct: nothing to validate
		}
		return err
	}
	fields := make([]FieldError, 0, len(ves))
	for _, fe := range ves {
		fields = append(fields, FieldError{
			Pointer:   namespacePointer(fe.Namespace()),
			Code:      fe.Tag(),
			MessageEN: labelField(fe.Translate(vs.en), fe.Field(), msg.EN),
			MessageVI: labelField(fe.Translate(vs.vi), fe.Field(), msg.VI),
		})
	}
	return errInvalid("Some fields are not valid.", "Một số trường không hợp lệ.", fields...)
}

// labelField puts the field's label from the catalogue where validator's message names the API field
// ("national_id là trường bắt buộc" → "Số định danh cá nhân là trường bắt buộc"); the pointer still names it.
func labelField(message, field string, l msg.Lang) string {
	label, ok := msg.FieldLabel(field, l)
	if !ok || !strings.HasPrefix(message, field) {
		return message
	}
	out := label + strings.TrimPrefix(message, field)
	if l == msg.EN {
		out = strings.ToUpper(out[:1]) + out[1:]
	}
	return out
}

// namespacePointer turns validator's "req.schedule[0].coefficient" into "/schedule/0/coefficient".
func namespacePointer(ns string) string {
	if i := strings.IndexByte(ns, '.'); i >= 0 {
		ns = ns[i+1:]
	} else {
		return ""
	}
	ns = strings.NewReplacer("[", ".", "]", "").Replace(ns)
	return "/" + strings.ReplaceAll(ns, ".", "/")
}
