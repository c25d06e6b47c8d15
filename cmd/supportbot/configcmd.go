package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// runConfig prints the effective configuration, every default filled in,
// as YAML that can be saved and edited as a config file. Secrets are
// replaced by "<set>" so the output is safe to paste into an issue.
func runConfig(_ context.Context, g *globalFlags, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	cfg, err := g.load()
	if err != nil {
		return err
	}
	redact(reflect.ValueOf(cfg).Elem())
	out, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "# supportbot configuration (effective values; environment SUPPORTBOT_<SECTION>_<FIELD> overrides)\n%s", out)
	return nil
}

// redact blanks every string field whose YAML key names a secret.
func redact(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if !t.Field(i).IsExported() {
				continue
			}
			tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			f := v.Field(i)
			if f.Kind() == reflect.String && f.String() != "" && isSecretKey(tag) {
				f.SetString("<set>")
				continue
			}
			redact(f)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			redact(v.Index(i))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			redact(v.Elem())
		}
	}
}

func isSecretKey(k string) bool {
	for _, s := range []string{"key", "token", "secret", "password"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}
