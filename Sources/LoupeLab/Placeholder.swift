public enum LoupeLabModule {}
