#!/usr/bin/env node
// The installed command. It lives outside dist/ so that pnpm can link it before the package is built
// (a workspace install links bins first); it only loads the built entry.
import '../dist/cli.js';
