package keystore

import (
	"context"
	"fmt"
)

// Reading the stored profiles and changing them in the config file.

// Profiles lists the profiles sorted by name, and the default profile's
// name ("" when there is none). No config file means no profiles. A config
// that cannot be trusted is ErrConfigUnsafe, one that does not parse
// ErrConfigCorrupt; ctx ends the read.
func (s *Store) Profiles(ctx context.Context) (profiles []Profile, defaultName string, err error) {
	c, err := s.load(ctx)
	if err != nil {
		return nil, "", err
	}
	return c.Profiles, c.DefaultProfile, nil
}

// Profile returns the named profile: ErrInvalidProfileName or
// ErrProfileNotFound when it cannot.
func (s *Store) Profile(ctx context.Context, name string) (Profile, error) {
	if err := ValidateProfileName(name); err != nil {
		return Profile{}, err
	}
	c, err := s.load(ctx)
	if err != nil {
		return Profile{}, err
	}
	return c.profile(name, s.ConfigFile())
}

func (c *configFile) profile(name, path string) (Profile, error) {
	i := c.index(name)
	if i < 0 {
		return Profile{}, fmt.Errorf("%w: no profile %q in %s: `senderpool profiles` lists them, `senderpool login --profile %s` creates it",
			ErrProfileNotFound, name, path, name)
	}
	return c.Profiles[i], nil
}

// Delete removes the profile's secret, then the profile. If the secret
// cannot be removed (keyring unreachable) the profile is kept and the error
// says why; Forget drops the profile alone. When the default profile goes,
// the first remaining one (by name) becomes the default, or none.
func (s *Store) Delete(ctx context.Context, name string) error {
	return s.change(ctx, name, func(c *configFile, p Profile) error {
		if err := s.removeSecret(ctx, p); err != nil {
			return fmt.Errorf("deleting profile %q (kept, with its secret): %w", name, err)
		}
		c.remove(name)
		return nil
	})
}

// Forget removes the profile from the config file without touching its
// secret (for when the keyring cannot be reached: the keyring item, or the
// encrypted file, stays behind). The default moves as with Delete.
func (s *Store) Forget(ctx context.Context, name string) error {
	return s.change(ctx, name, func(c *configFile, _ Profile) error {
		c.remove(name)
		return nil
	})
}

// SetDefault makes name the default profile.
func (s *Store) SetDefault(ctx context.Context, name string) error {
	return s.change(ctx, name, func(c *configFile, _ Profile) error {
		c.DefaultProfile = name
		return nil
	})
}

// change applies fn to the stored profile name and writes the config, under
// the lock. A name that is not stored is ErrProfileNotFound, found before
// the lock so that nothing (not even the config dir) is created for it.
func (s *Store) change(ctx context.Context, name string, fn func(c *configFile, p Profile) error) error {
	if err := ValidateProfileName(name); err != nil {
		return err
	}
	c, err := s.load(ctx)
	if err != nil {
		return err
	}
	if _, err := c.profile(name, s.ConfigFile()); err != nil {
		return err
	}
	return s.locked(ctx, func() error {
		c, err := s.load(ctx)
		if err != nil {
			return err
		}
		p, err := c.profile(name, s.ConfigFile())
		if err != nil {
			return err
		}
		if err := fn(c, p); err != nil {
			return err
		}
		return s.saveConfig(s.dir, c)
	})
}
