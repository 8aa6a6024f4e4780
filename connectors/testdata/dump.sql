-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;

--
-- Table structure for table `customers`
--

DROP TABLE IF EXISTS `customers`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE `customers` (
  `id` int NOT NULL AUTO_INCREMENT,
  `name` varchar(64) COLLATE utf8mb4_unicode_ci DEFAULT NULL COMMENT '姓名',
  `id_no` char(18) NOT NULL COMMENT '身份证号',
  `phone` varchar(20) DEFAULT NULL COMMENT 'mobile; it''s 11 digits',
  `note` text,
  `balance` decimal(10,2) DEFAULT '0.00',
  PRIMARY KEY (`id`),
  KEY `idx_phone` (`phone`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='客户';
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `customers`
--

LOCK TABLES `customers` WRITE;
/*!40000 ALTER TABLE `customers` DISABLE KEYS */;
INSERT INTO `customers` VALUES (1,'张三','11010519491231002X','13800138000','O\'Brien said \"hi\"\n第二行',12.50),(2,'李四','11010519491231002X',NULL,'it''s; (tricky), \\ path',-3.00),(3,'王五','11010519491231002X','+86 139 0000 1111','',0.00);
INSERT INTO `customers` VALUES (4,'赵六','11010519491231002X','13600001111',_binary 'bin\0data',1e3);
/*!40000 ALTER TABLE `customers` ENABLE KEYS */;
UNLOCK TABLES;

CREATE TABLE `orders` (`oid` bigint, `email` varchar(100), `ip` varchar(40));
INSERT INTO `orders` (`email`,`oid`) VALUES ('a@example.com',100),('b@example.com',0x1F);
INSERT INTO `unknown_t` VALUES ('x@example.com',NOW(),X'ABCD');
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
-- Dump completed on 2024-05-01 10:00:00
