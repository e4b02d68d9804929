package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"gongjian/internal/config"
)

// cmdConfig prints the effective configuration — every option, its value
// (secrets masked) and where the value came from — so an operator can see what
// a server started with the same flags, environment and file would use.
func cmdConfig(env cliEnv, args []string) error {
	cfg := config.Default()
	fs := flag.NewFlagSet("config", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	settings, err := cfg.Explain(fs, args, env.getenv)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errUsage
		}
		return err
	}
	var b strings.Builder
	if cfg.File != "" {
		fmt.Fprintf(&b, "# 配置文件 / config file: %s\n", cfg.File)
	}
	for _, s := range settings {
		fmt.Fprintf(&b, "%-14s = %-40s # %s, env %s\n", s.Name, quoteValue(s.Value), s.Source, s.Env)
	}
	_, err = fmt.Fprint(env.stdout, b.String())
	return err
}

// quoteValue quotes empty values so the output can be pasted into a file.
func quoteValue(v string) string {
	if v == "" || strings.ContainsAny(v, " #") {
		return `"` + v + `"`
	}
	return v
}
