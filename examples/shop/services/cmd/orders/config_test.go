package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/config"
)

// manifestConfig is config.yaml of the orders-config ConfigMap, as examples/shop/shop.ts writes it.
const manifestConfig = `inventory_addr: inventory.shop.svc.cluster.local:9000
payments_url: http://payments.shop.svc.cluster.local
request_timeout: 3s
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestManifestConfig(t *testing.T) {
	c, err := LoadConfig(writeFile(t, t.TempDir(), "config.yaml", manifestConfig))
	if err != nil {
		t.Fatal(err)
	}
	if c.InventoryAddr != "inventory.shop.svc.cluster.local:9000" || c.PaymentsURL.String() != "http://payments.shop.svc.cluster.local" || c.RequestTimeout != 3*time.Second {
		t.Errorf("config = %+v", c)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct{ content, want string }{
		"empty":        {"", "inventory_addr is required"},
		"unknown key":  {manifestConfig + "retries: 3\n", "field retries not found"},
		"not yaml":     {"inventory_addr: [", "config file"},
		"no port":      {"inventory_addr: inventory\npayments_url: http://p\n", "not host:port"},
		"relative url": {"inventory_addr: i:9000\npayments_url: payments\n", "not an absolute http(s) URL"},
		"bad scheme":   {"inventory_addr: i:9000\npayments_url: ftp://p\n", "not an absolute http(s) URL"},
		"bare timeout": {"inventory_addr: i:9000\npayments_url: http://p\nrequest_timeout: 3\n", "request_timeout"},
		"zero timeout": {"inventory_addr: i:9000\npayments_url: http://p\nrequest_timeout: 0s\n", "request_timeout"},
		"both missing": {"request_timeout: 1s\n", "payments_url is required"},
		"wrong type":   {"inventory_addr: {a: 1}\npayments_url: http://p\n", "config file"},
	} {
		_, err := LoadConfig(writeFile(t, dir, strings.ReplaceAll(name, " ", "_")+".yaml", c.content))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", name, err, c.want)
		}
	}
	if _, err := LoadConfig(filepath.Join(dir, "absent.yaml")); err == nil || !strings.Contains(err.Error(), "absent.yaml") {
		t.Errorf("missing file: %v", err)
	}
	c, err := LoadConfig(writeFile(t, dir, "default.yaml", "inventory_addr: i:9000\npayments_url: https://p\n"))
	if err != nil || c.RequestTimeout != 3*time.Second {
		t.Errorf("default request_timeout: %+v, %v", c, err)
	}
}

func TestSettings(t *testing.T) {
	if DefaultConfigFile != "/etc/orders/config.yaml" {
		t.Errorf("DefaultConfigFile = %s, want the manifest's mount", DefaultConfigFile)
	}
	dir := t.TempDir()
	cfg := writeFile(t, dir, "config.yaml", manifestConfig)
	secrets := filepath.Join(dir, "secrets")
	if err := os.Mkdir(secrets, 0o700); err != nil {
		t.Fatal(err)
	}
	env := config.MapEnv(map[string]string{"CONFIG_FILE": cfg, "SECRETS_DIR": secrets})

	if _, err := loadSettings(env); err == nil || !strings.Contains(err.Error(), filepath.Join(secrets, "db-password")) {
		t.Errorf("no secret: %v", err)
	}
	writeFile(t, secrets, "db-password", "\n")
	if _, err := loadSettings(env); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("empty secret: %v", err)
	}
	writeFile(t, secrets, "db-password", "pw\n")
	s, err := loadSettings(env)
	if err != nil || s.DBPassword != "pw" {
		t.Errorf("settings = %+v, %v", s, err)
	}
	if _, err := loadSettings(config.MapEnv(map[string]string{"CONFIG_FILE": filepath.Join(dir, "nope.yaml"), "SECRETS_DIR": secrets})); err == nil {
		t.Error("missing config file accepted")
	}
}
