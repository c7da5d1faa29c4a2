package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/gantry-dev/cdk8s-gantry/examples/shop/services/internal/config"
)

// DefaultConfigFile is where the manifest mounts the orders-config ConfigMap (and what CONFIG_FILE says).
const DefaultConfigFile = "/etc/orders/config.yaml"

// Config is config.yaml of the orders-config ConfigMap.
type Config struct {
	InventoryAddr  string        // inventory_addr: host:port of the inventory's gRPC server
	PaymentsURL    *url.URL      // payments_url: base URL of the payments API
	RequestTimeout time.Duration // request_timeout: bound of each call to inventory and payments
}

type configFile struct {
	InventoryAddr  string `yaml:"inventory_addr"`
	PaymentsURL    string `yaml:"payments_url"`
	RequestTimeout string `yaml:"request_timeout"`
}

// defaultRequestTimeout applies when request_timeout is left out.
const defaultRequestTimeout = 3 * time.Second

// LoadConfig reads and checks the file at path. Unknown keys are errors: a typo must not be silently ignored.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config file: %w", err)
	}
	var f configFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("config file %s: %w", path, err)
	}
	c, err := f.check()
	if err != nil {
		return Config{}, fmt.Errorf("config file %s: %w", path, err)
	}
	return c, nil
}

func (f configFile) check() (Config, error) {
	var errs []error
	c := Config{InventoryAddr: f.InventoryAddr, RequestTimeout: defaultRequestTimeout}
	if f.InventoryAddr == "" {
		errs = append(errs, errors.New("inventory_addr is required"))
	} else if host, port, err := net.SplitHostPort(f.InventoryAddr); err != nil || host == "" || port == "" {
		errs = append(errs, fmt.Errorf("inventory_addr %q is not host:port", f.InventoryAddr))
	}
	if f.PaymentsURL == "" {
		errs = append(errs, errors.New("payments_url is required"))
	} else if u, err := url.Parse(f.PaymentsURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("payments_url %q is not an absolute http(s) URL", f.PaymentsURL))
	} else {
		c.PaymentsURL = u
	}
	if f.RequestTimeout != "" {
		d, err := time.ParseDuration(f.RequestTimeout)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("request_timeout %q is not a positive Go duration such as 3s", f.RequestTimeout))
		} else {
			c.RequestTimeout = d
		}
	}
	return c, errors.Join(errs...)
}

// settings is everything orders reads at start.
type settings struct {
	Config     Config
	DBPassword string
}

// loadSettings reads CONFIG_FILE and the db-password secret under SECRETS_DIR (default /var/run/secrets/orders).
func loadSettings(getenv config.Getenv) (settings, error) {
	c, err := LoadConfig(config.String(getenv, "CONFIG_FILE", DefaultConfigFile))
	if err != nil {
		return settings{}, err
	}
	pw, err := config.ReadSecret(config.SecretsDir(getenv, "orders"), "db-password")
	if err != nil {
		return settings{}, err
	}
	return settings{Config: c, DBPassword: pw}, nil
}
