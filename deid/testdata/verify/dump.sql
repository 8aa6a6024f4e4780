-- MariaDB dump (masked)
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `t`;
CREATE TABLE `t` (
  `id` int NOT NULL,
  `name` varchar(20),
  `phone` varchar(20)
);
LOCK TABLES `t` WRITE;
INSERT INTO `t` VALUES (1,'张*','138****5678'),(2,'李*','139****0000');
UPDATE `t` SET `phone`='137****1111' WHERE `id`=2;
INSERT INTO `t` VALUES (3,'王*','137****1111');
UNLOCK TABLES;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
