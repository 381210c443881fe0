// Commander loads node:child_process at start-up for executable subcommands, which this CLI never has: the bundle
// gives it this stand-in, which loads the module only if a spawn is ever asked for (~2 ms off every command).
module.exports = {
  get spawn() {
    return require('node:child_process').spawn;
  },
};
