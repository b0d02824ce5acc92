// Shell scripts are bundled as text by webpack (asset/source); jest does the same.
module.exports = {
  process(source) {
    return { code: `module.exports = ${JSON.stringify(source)};` };
  },
};
