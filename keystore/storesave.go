package keystore

import (
	"context"
	"fmt"
)

// Saving a profile with its secret, all or nothing.

// Save stores secret (auth token or API key secret) where p.Storage says
// ("" means StorageKeyring), then writes p to the config file, replacing a
// profile of the same name. The first profile becomes the default. If any
// step fails, what was there before is put back: no profile without its
// secret, no secret without its profile (except that a keyring write which
// timed out may still land later). When an existing profile moves from one
// storage to the other, its old secret is removed afterwards (best
// effort). A new encrypted file's passphrase is asked for, and the file
// sealed, before the config lock is taken, so that no other process waits
// on a person or on scrypt.
func (s *Store) Save(ctx context.Context, p Profile, secret string) error {
	return s.save(ctx, p, secret, true)
}

// SaveNew is Save, except that a profile of that name already stored
// (by another process meanwhile, say) is ErrProfileExists, and kept.
func (s *Store) SaveNew(ctx context.Context, p Profile, secret string) error {
	return s.save(ctx, p, secret, false)
}

func (s *Store) save(ctx context.Context, p Profile, secret string, replace bool) error {
	if p.Storage == "" {
		p.Storage = StorageKeyring
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := validateSecret(secret); err != nil {
		return fmt.Errorf("profile %q: %w", p.Name, err)
	}
	// What would refuse the save under the lock refuses it before the
	// passphrase is asked for.
	c, err := s.load(ctx)
	if err != nil {
		return err
	}
	if err := c.refuseExisting(p.Name, replace); err != nil {
		return err
	}
	var sealed []byte
	if p.Storage == StorageFile {
		pass, err := s.passphrase(ctx, p.Name, true)
		if err != nil {
			return err
		}
		if sealed, err = s.encryptSecret(secret, pass); err != nil {
			return err
		}
	}
	return s.locked(ctx, func() error {
		c, err := s.load(ctx)
		if err != nil {
			return err
		}
		if err := c.refuseExisting(p.Name, replace); err != nil {
			return err
		}
		var old *Profile
		if i := c.index(p.Name); i >= 0 {
			o := c.Profiles[i]
			old = &o
		}
		var undo func()
		switch p.Storage {
		case StorageKeyring:
			undo, err = s.putKeyringSecret(ctx, p.Name, secret)
		case StorageFile:
			undo, err = s.putFileSecret(ctx, p.Name, sealed)
		}
		if err != nil {
			return err
		}
		c.upsert(p)
		if c.DefaultProfile == "" {
			c.DefaultProfile = p.Name
		}
		if err := s.saveConfig(s.dir, c); err != nil {
			undo()
			return fmt.Errorf("saving profile %q: %w", p.Name, err)
		}
		if old != nil && old.Storage != p.Storage {
			_ = s.removeSecret(context.WithoutCancel(ctx), *old)
		}
		return nil
	})
}

// refuseExisting is ErrProfileExists when name is stored and replacing it
// is not allowed.
func (c *configFile) refuseExisting(name string, replace bool) error {
	if i := c.index(name); i >= 0 && !replace {
		return fmt.Errorf("%w: profile %q (account %s) is stored already, and replacing it was not asked for: nothing was saved",
			ErrProfileExists, name, c.Profiles[i].AccountSID)
	}
	return nil
}
