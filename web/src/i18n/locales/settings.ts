export default {
  zh: { title: '' },
  en: { title: '' },
};
